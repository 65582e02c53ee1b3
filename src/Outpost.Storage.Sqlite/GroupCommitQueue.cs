using Microsoft.Data.Sqlite;
using Outpost.Core.Errors;

namespace Outpost.Storage.Sqlite;

/// <summary>
/// Group commit for one SQLite file: work items that arrive while a transaction is being written wait for the next
/// one and are written together, each inside its own savepoint, in one transaction with one fsync. An item that fails
/// (a version conflict, say) is rolled back to its savepoint and fails alone; the others in the batch still commit.
/// A caller is answered only after the transaction holding its item is durable. Items that cannot fail on their own
/// (appends to a log) may instead be written as one batch without savepoints, which is cheaper per item; then a
/// failure fails the whole batch.
/// </summary>
internal sealed class GroupCommitQueue<TItem>
{
    private readonly Func<SqliteConnection> openForWriting;
    private readonly Func<SqliteConnection, SqliteTransaction, TItem, Task>? apply;
    private readonly Func<SqliteConnection, SqliteTransaction, IReadOnlyList<TItem>, Task>? applyBatch;
    private readonly Action? batchFailed;

    /// <summary>Each item in its own savepoint: one that fails is rolled back alone.</summary>
    public GroupCommitQueue(Func<SqliteConnection> openForWriting, Func<SqliteConnection, SqliteTransaction, TItem, Task> apply)
    {
        this.openForWriting = openForWriting;
        this.apply = apply;
    }

    /// <summary>The whole batch in one call; <paramref name="batchFailed"/> runs when its transaction did not commit.</summary>
    public GroupCommitQueue(Func<SqliteConnection> openForWriting, Func<SqliteConnection, SqliteTransaction, IReadOnlyList<TItem>, Task> applyBatch, Action batchFailed)
    {
        this.openForWriting = openForWriting;
        this.applyBatch = applyBatch;
        this.batchFailed = batchFailed;
    }

    private readonly Lock gate = new();
    private List<Pending> queue = [];
    private bool writerRunning;

    public Task EnqueueAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item);
        var startWriter = false;
        lock (gate)
        {
            queue.Add(pending);
            if (!writerRunning)
            {
                writerRunning = true;
                startWriter = true;
            }
        }

        if (startWriter)
        {
            _ = Task.Run(WriteBatchesAsync, CancellationToken.None);
        }

        // Once queued an item is written whatever happens to the caller, so cancelling only stops the wait.
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteBatchesAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (gate)
            {
                if (queue.Count == 0)
                {
                    writerRunning = false;
                    return;
                }

                batch = queue;
                queue = [];
            }

            await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var failures = new Exception?[batch.Count];
        try
        {
            await using var connection = openForWriting();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            if (applyBatch is not null)
            {
                await applyBatch(connection, transaction, batch.ConvertAll(pending => pending.Item));
            }

            for (var index = 0; apply is not null && index < batch.Count; index++)
            {
                var savepoint = $"item_{index}";
                transaction.Save(savepoint);
                try
                {
                    await apply(connection, transaction, batch[index].Item);
                    transaction.Release(savepoint);
                }
                catch (Exception exception) when (exception is OutpostException or SqliteException)
                {
                    transaction.Rollback(savepoint);
                    transaction.Release(savepoint);
                    failures[index] = exception;
                }
            }

            await transaction.CommitAsync();
        }
        catch (Exception exception)
        {
            batchFailed?.Invoke();
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(exception);
            }

            return;
        }

        for (var index = 0; index < batch.Count; index++)
        {
            if (failures[index] is { } failure)
            {
                batch[index].Completion.TrySetException(failure);
            }
            else
            {
                batch[index].Completion.TrySetResult();
            }
        }
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
