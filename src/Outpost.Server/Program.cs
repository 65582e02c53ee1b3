using Outpost.IotHub;
using Outpost.Management;
using Outpost.Pki;
using Outpost.Portal;
using Outpost.Provisioning;
using Outpost.Server.Hosting;
using Outpost.Server.Mqtt;
using Outpost.Storage.Sqlite;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, CommandLineSwitches.Map);
var options = CommandLineSwitches.Read(builder.Configuration);

builder.Services
    .AddOutpostHosting(options)
    .AddOutpostSqliteStorage(options.DataDirectory)
    .AddOutpostPki(options.DataDirectory, builder.Configuration)
    .AddOutpostManagement(builder.Configuration)
    .AddOutpostProvisioning()
    .AddOutpostIotHub(builder.Configuration)
    .AddOutpostMqtt()
    .AddOutpostPortal(ServerHostingExtensions.SelfEndpoint);
builder.WebHost.ListenForOutpost(options);

var app = builder.Build();
app.UseOutpostManagement();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseOutpostPortal();
app.MapOutpostHealth();
app.MapOutpostManagement();
app.MapOutpostProvisioning(options.DnsSuffix);
app.MapOutpostIotHub(options.DnsSuffix);
app.UseOutpostMqtt();
app.MapOutpostPortal();
app.Run();
