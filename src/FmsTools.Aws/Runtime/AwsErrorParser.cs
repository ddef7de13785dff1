using System;
using System.Net;
using System.Text;
using System.Text.Json;

namespace FmsTools.Aws.Runtime
{
    /// <summary>The code and message of an AWS JSON error answer.</summary>
    public sealed class AwsErrorDetails
    {
        public AwsErrorDetails(string code, string message)
        {
            Code = code;
            Message = message;
        }

        /// <summary>Error code without namespace or trailing URI, e.g. InvalidInputException.</summary>
        public string Code { get; }

        public string Message { get; }
    }

    /// <summary>
    /// Reads AWS JSON 1.x error answers. The code comes from the x-amzn-ErrorType header when present, else from
    /// the body's "__type" (or "code"), in any of the forms services use:
    /// "InvalidInputException", "com.amazonaws.fms#InvalidInputException",
    /// "InvalidInputException:http://internal.amazon.com/coral/...". The message is "message" or "Message".
    /// </summary>
    public static class AwsErrorParser
    {
        public const string ErrorTypeHeader = "x-amzn-ErrorType";

        public static AwsErrorDetails Parse(HttpStatusCode statusCode, string? errorTypeHeader, byte[]? body)
        {
            string? bodyCode = null;
            string? message = null;
            if (body != null && body.Length > 0)
            {
                try
                {
                    using (var document = JsonDocument.Parse(body))
                    {
                        if (document.RootElement.ValueKind == JsonValueKind.Object)
                        {
                            bodyCode = StringMember(document.RootElement, "__type") ?? StringMember(document.RootElement, "code")
                                ?? StringMember(document.RootElement, "Code");
                            message = StringMember(document.RootElement, "message") ?? StringMember(document.RootElement, "Message")
                                ?? StringMember(document.RootElement, "errorMessage");
                        }
                    }
                }
                catch (JsonException)
                {
                    // A proxy or load balancer answered with HTML or text: keep a short excerpt as the message.
                    message = Excerpt(body);
                }
            }

            var code = NormalizeCode(errorTypeHeader);
            if (code.Length == 0) code = NormalizeCode(bodyCode);
            if (code.Length == 0) code = StatusName(statusCode);
            if (string.IsNullOrEmpty(message))
                message = $"{code} (HTTP {(int)statusCode}) with no error message.";
            return new AwsErrorDetails(code, message!);
        }

        /// <summary>Strips a namespace ("ns#Code") and a trailing URI ("Code:http://...").</summary>
        public static string NormalizeCode(string? raw)
        {
            if (string.IsNullOrWhiteSpace(raw)) return "";
            var code = raw!.Trim();
            var colon = code.IndexOf(':');
            if (colon >= 0) code = code.Substring(0, colon);
            var hash = code.LastIndexOf('#');
            if (hash >= 0) code = code.Substring(hash + 1);
            return code.Trim();
        }

        private static string? StringMember(JsonElement element, string name)
            => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string StatusName(HttpStatusCode statusCode)
        {
            var name = statusCode.ToString();
            return int.TryParse(name, out _) ? "Http" + name : name;
        }

        private static string Excerpt(byte[] body)
        {
            var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)).Trim();
            return text.Replace("\r", " ").Replace("\n", " ");
        }
    }
}
