using Microsoft.Data.Sqlite;
using Outpost.Core.Errors;

namespace Outpost.Storage.Sqlite;

/// <summary>
/// Group commit for one SQLite file: work items that arrive while a transaction is being written wait for the next
/// one and are written together, each inside its own savepoint, in one transaction with one fsync. An item that fails
/// (a version conflict, say) is rolled back to its savepoint and fails alone; the others in the batch still commit.
/// A caller is answered only after the transaction holding its item is durable.
/// </summary>
internal sealed class GroupCommitQueue<TItem>(Func<SqliteConnection> openForWriting, Func<SqliteConnection, SqliteTransaction, TItem, Task> apply)
{
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
            for (var index = 0; index < batch.Count; index++)
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
