using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace FmsTools.Aws.Runtime
{
    /// <summary>Lazy paging over token-paged operations (NextToken, NextMarker).</summary>
    public static class AwsPagination
    {
        /// <summary>
        /// Yields each page as the consumer asks for it. Stops when the response has no token, or when the service
        /// returns a token it already returned (a service bug that would otherwise loop forever).
        /// </summary>
        public static async IAsyncEnumerable<TResponse> PagesAsync<TRequest, TResponse>(
            TRequest request,
            Func<TRequest, CancellationToken, Task<TResponse>> call,
            Func<TResponse, string?> nextToken,
            Action<TRequest, string?> setToken,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
            where TRequest : class
            where TResponse : class
        {
            if (call == null) throw new ArgumentNullException(nameof(call));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var page = await call(request, cancellationToken).ConfigureAwait(false);
                yield return page;
                var token = nextToken(page);
                if (string.IsNullOrEmpty(token) || !seen.Add(token!)) yield break;
                setToken(request, token);
            }
        }

        /// <summary>Flattens pages into their items; a page without the list contributes none.</summary>
        public static async IAsyncEnumerable<TItem> ItemsAsync<TPage, TItem>(
            IAsyncEnumerable<TPage> pages,
            Func<TPage, IEnumerable<TItem>?> items,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var page in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var list = items(page);
                if (list == null) continue;
                foreach (var item in list) yield return item;
            }
        }
    }
}
