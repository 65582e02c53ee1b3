namespace Outpost.Storage.Sqlite.Tests;

/// <summary>A migrated store in a directory of its own, deleted with it.</summary>
internal sealed class TemporaryStore : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("outpost-store-").FullName;

    public TemporaryStore()
    {
        Store = new SqliteOutpostStore(DatabasePath);
        Store.Initialize();
    }

    public string DatabasePath => Path.Combine(directory, "outpost.db");

    public SqliteOutpostStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
