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

        private static string Token(int offset)
            => Convert.ToBase64String(Encoding.UTF8.GetBytes("sbx1:" + offset.ToString(CultureInfo.InvariantCulture)));
    }
}
