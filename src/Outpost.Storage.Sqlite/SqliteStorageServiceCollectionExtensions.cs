using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Outpost.Core.Messaging;
using Outpost.Core.Storage;

namespace Outpost.Storage.Sqlite;

public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded store at <c>{dataDirectory}/outpost.db</c> and the device message store at <c>messages.db</c>, creating and migrating it at once so that
    /// a broken database stops the server at start rather than on the first request.
    /// </summary>
    public static IServiceCollection AddOutpostSqliteStorage(this IServiceCollection services, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var store = new SqliteOutpostStore(Path.Combine(dataDirectory, "outpost.db"));
        store.Initialize();
        services.TryAddSingleton<IOutpostStore>(store);
        var messages = new SqliteMessageStore(Path.Combine(dataDirectory, "messages.db"));
        messages.Initialize();
        services.TryAddSingleton<IEventLog>(messages);
        services.TryAddSingleton<ICloudToDeviceMessages>(messages);
        services.TryAddSingleton<IDeviceSubscriptions>(messages);
        return services;
    }
}
