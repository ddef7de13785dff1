using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FmsTools.Aws.Runtime
{
    /// <summary>JSON 1.1 timestamps travel as seconds since the Unix epoch, possibly fractional.</summary>
    public sealed class EpochSecondsConverter : JsonConverter<DateTime?>
    {
        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        public override bool HandleNull => true;

        public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.Number:
                    return Epoch.AddTicks((long)Math.Round(reader.GetDouble() * TimeSpan.TicksPerSecond));
                case JsonTokenType.String:
                    // Some services (and some hand-written clients) send ISO 8601 strings; accept both.
                    var text = reader.GetString();
                    if (string.IsNullOrEmpty(text)) return null;
                    if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                        return Epoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
                    return DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
                default:
                    throw new JsonException($"Expected a timestamp (epoch seconds), found {reader.TokenType}.");
            }
        }

        public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNullValue();
                return;
            }
            var utc = value.Value.Kind == DateTimeKind.Local ? value.Value.ToUniversalTime() : value.Value;
            var seconds = (utc - Epoch).Ticks / (double)TimeSpan.TicksPerSecond;
            writer.WriteNumberValue(Math.Round(seconds, 3));
        }
    }
}
