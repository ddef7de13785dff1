using System;
using System.Collections.Generic;
using System.Text;

namespace FmsTools.Sandbox.Http
{
    /// <summary>One parsed HTTP/1.1 request.</summary>
    internal sealed class SandboxHttpRequest
    {
        public SandboxHttpRequest(string method, string rawTarget, List<KeyValuePair<string, string>> headers, byte[] body)
        {
            Method = method;
            RawTarget = rawTarget;
            Headers = headers;
            Body = body;
            var query = rawTarget.IndexOf('?');
            Path = query < 0 ? rawTarget : rawTarget.Substring(0, query);
            Query = query < 0 ? "" : rawTarget.Substring(query + 1);
        }

        public string Method { get; }

        /// <summary>The request-target exactly as sent (path and query, still percent-encoded).</summary>
        public string RawTarget { get; }
        public string Path { get; }
        public string Query { get; }

        /// <summary>Headers in arrival order, names as sent; SigV4 needs repeated headers and original values.</summary>
        public List<KeyValuePair<string, string>> Headers { get; }
        public byte[] Body { get; }

        public string? Header(string name)
        {
            foreach (var header in Headers)
                if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)) return header.Value;
            return null;
        }
    }

    /// <summary>What the server writes back, plus transport-level fault instructions.</summary>
    internal sealed class SandboxHttpResponse
    {
        public SandboxHttpResponse(int statusCode, string contentType, byte[] body)
        {
            StatusCode = statusCode;
            ContentType = contentType;
            Body = body;
        }

        public int StatusCode { get; }
        public string ContentType { get; }
        public byte[] Body { get; }
        public List<KeyValuePair<string, string>> Headers { get; } = new List<KeyValuePair<string, string>>();

        /// <summary>Close the connection after writing (errors that leave the stream in an unknown state).</summary>
        public bool CloseConnection { get; set; }

        /// <summary>Abort with a TCP reset instead of answering (fault injection).</summary>
        public bool ResetConnection { get; set; }

        public static SandboxHttpResponse Text(int status, string text)
            => new SandboxHttpResponse(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

        public static SandboxHttpResponse Json(int status, byte[] body)
            => new SandboxHttpResponse(status, "application/json", body);

        internal static string ReasonPhrase(int status)
        {
            switch (status)
            {
                case 100: return "Continue";
                case 200: return "OK";
                case 204: return "No Content";
                case 400: return "Bad Request";
                case 403: return "Forbidden";
                case 404: return "Not Found";
                case 405: return "Method Not Allowed";
                case 408: return "Request Timeout";
                case 411: return "Length Required";
                case 413: return "Request Entity Too Large";
                case 431: return "Request Header Fields Too Large";
                case 500: return "Internal Server Error";
                case 501: return "Not Implemented";
                case 503: return "Service Unavailable";
                default: return "Status";
            }
        }
    }
}
