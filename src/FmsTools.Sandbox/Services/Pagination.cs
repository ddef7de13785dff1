using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using FmsTools.Sandbox.Protocol;

namespace FmsTools.Sandbox.Services
{
    /// <summary>Opaque NextToken paging over an ordered list, shared by every List* operation.</summary>
    internal static class Pagination
    {
        public static List<T> Page<T>(IReadOnlyList<T> items, int? maxResults, string? nextToken, int defaultPageSize,
            out string? newNextToken, string invalidTokenErrorCode = "InvalidInputException")
        {
            var start = 0;
            if (!string.IsNullOrEmpty(nextToken))
            {
                string decoded;
                try
                {
                    decoded = Encoding.UTF8.GetString(Convert.FromBase64String(nextToken));
                }
                catch (FormatException)
                {
                    throw new SandboxServiceException(invalidTokenErrorCode, "The NextToken is not valid.");
                }
                if (!decoded.StartsWith("sbx1:", StringComparison.Ordinal)
                    || !int.TryParse(decoded.Substring(5), NumberStyles.None, CultureInfo.InvariantCulture, out start))
                    throw new SandboxServiceException(invalidTokenErrorCode, "The NextToken is not valid.");
            }
            var size = maxResults ?? defaultPageSize;
            var page = new List<T>(Math.Min(size, Math.Max(0, items.Count - start)));
            for (var i = start; i < items.Count && page.Count < size; i++) page.Add(items[i]);
            var end = start + page.Count;
            newNextToken = end < items.Count ? Token(end) : null;
            return page;
        }

        /// <summary>
        /// The items of a list, each projected when indexed: a page converts only its own items, not the whole list
        /// (converting every item for every page made listing a large organization quadratic).
        /// </summary>
        public static IReadOnlyList<T> Projected<TSource, T>(IReadOnlyList<TSource> items, Func<TSource, T> project)
            => new ProjectedList<TSource, T>(items, project);

        private sealed class ProjectedList<TSource, T> : IReadOnlyList<T>
        {
            private readonly IReadOnlyList<TSource> _items;
            private readonly Func<TSource, T> _project;

            public ProjectedList(IReadOnlyList<TSource> items, Func<TSource, T> project)
            {
                _items = items;
                _project = project;
            }

            public int Count => _items.Count;

            public T this[int index] => _project(_items[index]);

            public IEnumerator<T> GetEnumerator()
            {
                for (var i = 0; i < _items.Count; i++) yield return _project(_items[i]);
            }

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }

        private static string Token(int offset)
            => Convert.ToBase64String(Encoding.UTF8.GetBytes("sbx1:" + offset.ToString(CultureInfo.InvariantCulture)));
    }
}
