using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FmsTools.Aws.Runtime
{
    /// <summary>The JSON settings of the AWS JSON 1.1 wire format: model names as written, null members omitted.</summary>
    public static class AwsJson
    {
        /// <summary>Serializer options for request and response bodies.</summary>
        public static JsonSerializerOptions Options { get; } = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNamingPolicy = null,
            // Newer service versions add members; they must not break older clients.
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        };

        public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

        public static string SerializeToString<T>(T value) => JsonSerializer.Serialize(value, Options);

        /// <summary>Reads a body; an empty body (operations with no output) gives a new instance.</summary>
        public static T Deserialize<T>(byte[] body) where T : class, new()
        {
            if (body == null || body.Length == 0) return new T();
            return JsonSerializer.Deserialize<T>(body, Options) ?? new T();
        }

        /// <summary>A deep copy through the wire format, so paginators never change the caller's request.</summary>
        public static T Clone<T>(T value) where T : class, new()
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            return Deserialize<T>(Serialize(value));
        }
    }
}
