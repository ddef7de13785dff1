using System.Collections.Concurrent;

namespace FmsTools.Engine.Reports
{
    /// <summary>
    /// A bounded many-writers/one-reader queue: writers wait while it is full, so producers never run further
    /// ahead of the consumer than the capacity (what keeps a 10,000-account report's memory flat).
    /// </summary>
    internal sealed class AsyncRowQueue<T>
    {
        private readonly ConcurrentQueue<T> _items = new ConcurrentQueue<T>();
        private readonly SemaphoreSlim _space;
        private readonly SemaphoreSlim _available = new SemaphoreSlim(0);
        private Exception? _error;
        private int _completed;

        public AsyncRowQueue(int capacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            _space = new SemaphoreSlim(capacity, capacity);
        }

        public async Task WriteAsync(T item, CancellationToken cancellationToken)
        {
            await _space.WaitAsync(cancellationToken).ConfigureAwait(false);
            _items.Enqueue(item);
            _available.Release();
        }

        /// <summary>No more writes will come; call once after every writer finished.</summary>
        public void Complete(Exception? error)
        {
            if (Interlocked.Exchange(ref _completed, 1) != 0) return;
            _error = error;
            _available.Release();
        }

        /// <summary>The next item, or false once the queue is complete and drained (throws the producers' error, if any).</summary>
        public async Task<(bool HasItem, T Item)> ReadAsync(CancellationToken cancellationToken)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (_items.TryDequeue(out var item))
            {
                _space.Release();
                return (true, item);
            }
            // The completion signal: leave it for any further read.
            _available.Release();
            if (_error != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_error).Throw();
            return (false, default!);
        }
    }
}
