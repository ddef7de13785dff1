using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FmsTools.Sandbox.Protocol
{
    /// <summary>The one set of serializer options for wire bodies and persisted state.</summary>
    internal static class SandboxJson
    {
        /// <summary>
        /// Absent members are omitted (as AWS does) and names are matched exactly, because AWS JSON 1.1
        /// member names are case-sensitive. Relaxed escaping keeps ManagedServiceData readable: the
        /// bodies are JSON, never embedded in HTML.
        /// </summary>
        public static readonly JsonSerializerOptions Wire = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNameCaseInsensitive = false,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        public static byte[] Serialize(object value) => JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Wire);

        public static T Clone<T>(T value) where T : class
            => JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(value, typeof(T), Wire), Wire)!;
    }
}
