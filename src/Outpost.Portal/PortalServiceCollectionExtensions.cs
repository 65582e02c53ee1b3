using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FluentUI.AspNetCore.Components;
using Outpost.Client;
using Outpost.Portal.Components;
using Outpost.Portal.Session;

namespace Outpost.Portal;

/// <summary>
/// The web portal at the HTTPS listener's root: Blazor pages rendered on the server, each action a call to the public
/// APIs with the signed-in user's token.
/// </summary>
public static class PortalServiceCollectionExtensions
{
    public static IServiceCollection AddOutpostPortal(this IServiceCollection services, Func<IServiceProvider, OutpostEndpoint> endpoint)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddFluentUIComponents();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication().AddCookie(PortalAuthentication.Scheme, PortalAuthentication.ConfigureCookie);
        services.AddAuthorization(PortalAuthentication.AddPolicy);
        services.AddSingleton(provider => new PortalEndpoint(() => endpoint(provider)));
        services.AddScoped<PortalSession>();
        return services;
    }

    /// <summary>Antiforgery for the portal's forms; call it after authentication and authorization.</summary>
    public static IApplicationBuilder UseOutpostPortal(this IApplicationBuilder app) => app.UseAntiforgery();

    public static IEndpointRouteBuilder MapOutpostPortal(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapStaticAssets();
        endpoints.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization(PortalAuthentication.PolicyName);
        endpoints.MapPost("/signout", (Func<Microsoft.AspNetCore.Http.HttpContext, Task<Microsoft.AspNetCore.Http.IResult>>)SignOut.Handle).RequireAuthorization(PortalAuthentication.PolicyName);
        return endpoints;
    }
}
