using System.IO;
using System.Text.Json;

namespace FmsTools.Engine.Cost
{
    /// <summary>Where a price in the table comes from (the table's optional "sources" object, one entry per price).</summary>
    public sealed class PriceSource
    {
        public PriceSource(string item, string? url, string? asOf, bool? confirmed, string? note)
        {
            Item = item;
            Url = url;
            AsOf = asOf;
            Confirmed = confirmed;
            Note = note;
        }

        public string Item { get; }
        public string? Url { get; }
        public string? AsOf { get; }

        /// <summary>False when the price could not be confirmed from a published source; null when the entry does not say.</summary>
        public bool? Confirmed { get; }

        public string? Note { get; }

        public override string ToString() => Item + (Url == null ? "" : " (" + Url + ")");
    }

    /// <summary>
    /// Unit prices for the cost estimate, read from a JSON file users can edit (fmstools.prices/v1): list prices under
    /// "prices", optional per-region overrides under "regions", and optional "sources" saying where each price comes
    /// from ({"url", "asOf", "confirmed", "note"} per price; other fields are ignored).
    /// </summary>
    public sealed class PriceTable
    {
        public const string SchemaValue = "fmstools.prices/v1";
        public const string FmsPolicyPerRegionMonth = "fmsPolicyPerRegionMonth";
        public const string ConfigRuleEvaluation = "configRuleEvaluation";
        public const string WafWebAclMonth = "wafWebAclMonth";
        public const string WafRuleMonth = "wafRuleMonth";
        public const string WafRequestsPerMillion = "wafRequestsPerMillion";
        public const string ShieldAdvancedSubscriptionMonth = "shieldAdvancedSubscriptionMonth";
        public const string NetworkFirewallEndpointHour = "networkFirewallEndpointHour";
        public const string NetworkFirewallTrafficGb = "networkFirewallTrafficGb";

        private static readonly string[] Required =
        {
            FmsPolicyPerRegionMonth, ConfigRuleEvaluation, WafWebAclMonth, WafRuleMonth, WafRequestsPerMillion,
            ShieldAdvancedSubscriptionMonth, NetworkFirewallEndpointHour, NetworkFirewallTrafficGb,
        };

        private readonly Dictionary<string, decimal> _prices;
        private readonly Dictionary<string, Dictionary<string, decimal>> _regions;

        private PriceTable(string source, string currency, string? asOf, decimal hoursPerMonth, Dictionary<string, decimal> prices,
            Dictionary<string, Dictionary<string, decimal>> regions, IReadOnlyDictionary<string, PriceSource> sources)
        {
            Sources = sources;
            Source = source;
            Currency = currency;
            AsOf = asOf;
            HoursPerMonth = hoursPerMonth;
            _prices = prices;
            _regions = regions;
        }

        /// <summary>The file the prices came from.</summary>
        public string Source { get; }
        public string Currency { get; }
        public string? AsOf { get; }
        public decimal HoursPerMonth { get; }

        /// <summary>Where each price comes from, by price name (empty when the table has no "sources").</summary>
        public IReadOnlyDictionary<string, PriceSource> Sources { get; }

        /// <summary>Prices the table marks as not confirmed from a published source ("confirmed": false), in name order.</summary>
        public IReadOnlyList<string> Unconfirmed
        {
            get
            {
                var names = new List<string>();
                foreach (var entry in Sources)
                    if (entry.Value.Confirmed == false) names.Add(entry.Key);
                names.Sort(StringComparer.Ordinal);
                return names;
            }
        }

        /// <summary>The price of <paramref name="item"/> in <paramref name="region"/> (the region's override, else the list price).</summary>
        public decimal Price(string item, string? region)
        {
            if (region != null && _regions.TryGetValue(region, out var overrides) && overrides.TryGetValue(item, out var regional)) return regional;
            return _prices[item];
        }

        public static PriceTable Load(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new InvalidDataException($"The price table {path} could not be read: {e.Message}", e);
            }
            return Parse(path, text);
        }

        public static PriceTable Parse(string source, string json)
        {
            try
            {
                using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.GetString() != SchemaValue)
                    throw new InvalidDataException($"{source} is not a price table: \"schema\" must be \"{SchemaValue}\".");
                var currency = root.TryGetProperty("currency", out var c) ? c.GetString() ?? "USD" : "USD";
                var asOf = root.TryGetProperty("asOf", out var a) ? a.GetString() : null;
                var hours = root.TryGetProperty("hoursPerMonth", out var h) ? h.GetDecimal() : 730m;
                if (!root.TryGetProperty("prices", out var pricesElement) || pricesElement.ValueKind != JsonValueKind.Object)
                    throw new InvalidDataException($"{source} has no \"prices\" object.");
                var prices = ReadPrices(source, "prices", pricesElement);
                foreach (var item in Required)
                    if (!prices.ContainsKey(item)) throw new InvalidDataException($"{source} has no price \"prices.{item}\".");
                var regions = new Dictionary<string, Dictionary<string, decimal>>(StringComparer.Ordinal);
                if (root.TryGetProperty("regions", out var regionsElement) && regionsElement.ValueKind == JsonValueKind.Object)
                    foreach (var region in regionsElement.EnumerateObject())
                        regions[region.Name] = ReadPrices(source, "regions." + region.Name, region.Value);
                var sources = new Dictionary<string, PriceSource>(StringComparer.Ordinal);
                if (root.TryGetProperty("sources", out var sourcesElement))
                {
                    if (sourcesElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: \"sources\" must be an object with one entry per price.");
                    foreach (var entry in sourcesElement.EnumerateObject()) sources[entry.Name] = ReadSource(source, entry);
                }
                return new PriceTable(source, currency, asOf, hours, prices, regions, sources);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{source} is not valid JSON: {e.Message}", e);
            }
        }

        private static Dictionary<string, decimal> ReadPrices(string source, string path, JsonElement element)
        {
            var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
            if (element.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: \"{path}\" must be an object of prices.");
            foreach (var property in element.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDecimal(out var value) || value < 0)
                    throw new InvalidDataException($"{source}: \"{path}.{property.Name}\" must be a number of zero or more.");
                prices[property.Name] = value;
            }
            return prices;
        }

        private static PriceSource ReadSource(string source, JsonProperty entry)
        {
            if (entry.Value.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{source}: \"sources.{entry.Name}\" must be an object such as {{\"url\": \"https://...\", \"asOf\": \"2026-01-01\", \"confirmed\": true}}.");
            string? Text(string name)
            {
                if (!entry.Value.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
                if (value.ValueKind != JsonValueKind.String) throw new InvalidDataException($"{source}: \"sources.{entry.Name}.{name}\" must be text.");
                return value.GetString();
            }
            bool? confirmed = null;
            if (entry.Value.TryGetProperty("confirmed", out var flag) && flag.ValueKind != JsonValueKind.Null)
            {
                if (flag.ValueKind != JsonValueKind.True && flag.ValueKind != JsonValueKind.False)
                    throw new InvalidDataException($"{source}: \"sources.{entry.Name}.confirmed\" must be true or false.");
                confirmed = flag.GetBoolean();
            }
            return new PriceSource(entry.Name, Text("url"), Text("asOf"), confirmed, Text("note"));
        }

        public override string ToString()
            => $"{Source} ({Currency}{(AsOf == null ? "" : ", as of " + AsOf)})";

        internal static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
    }
}
