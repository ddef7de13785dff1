using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using FmsTools.Engine.Policies.Input;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// PowerShell's side of policy parameter input: unwraps PowerShell's objects into plain values for the engine's
    /// input readers, and reads the tag tables of the scope parameters.
    /// </summary>
    internal static class PolicyParameterConverter
    {
        /// <summary>
        /// The plain .NET value under PowerShell's wrappers, all the way down: PSObjects unwrapped, PSCustomObjects as
        /// case-insensitive dictionaries of their properties, switches as booleans, dictionaries and arrays with plain items.
        /// What the engine's input readers (PolicyInput, PolicyInputParsers) expect.
        /// </summary>
        public static object? Plain(object? value)
        {
            switch (value)
            {
                case null: return null;
                case PSObject pso when pso.BaseObject is PSCustomObject:
                    var properties = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    foreach (var property in pso.Properties) properties[property.Name] = Plain(property.Value);
                    return properties;
                case PSObject pso:
                    return Plain(pso.BaseObject);
                case SwitchParameter sw:
                    return sw.IsPresent;
                case string _:
                    return value;
                case IDictionary dictionary:
                    var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    foreach (DictionaryEntry entry in dictionary)
                        map[Convert.ToString(Plain(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty] = Plain(entry.Value);
                    return map;
                case JsonNode _:
                case JsonBackedObject _:
                    return value;
                case IEnumerable items:
                    return items.Cast<object?>().Select(Plain).ToArray();
                default:
                    return value;
            }
        }

        private static string? Text(object? value) => PolicyInput.Text(Plain(value));

        /// <summary>-ResourceTag @{ env = 'prod'; team = $null } as filters; a null value stays null ("" on the service).</summary>
        public static List<ResourceTagFilter> ResourceTags(IDictionary? table)
        {
            var result = new List<ResourceTagFilter>();
            if (table == null) return result;
            foreach (DictionaryEntry entry in table)
                result.Add(new ResourceTagFilter(Text(entry.Key) ?? string.Empty, Text(entry.Value)));
            return result.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        }

        /// <summary>-Tag @{ owner = 'secops' } as the policy's own tags.</summary>
        public static SortedDictionary<string, string>? PolicyTags(IDictionary? table)
        {
            if (table == null) return null;
            var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table) tags[Text(entry.Key) ?? string.Empty] = Text(entry.Value) ?? string.Empty;
            return tags;
        }

        /// <summary>Upper-case wire spelling of an enum-like parameter value (Allow → ALLOW).</summary>
        public static string Wire(string value) => value.ToUpperInvariant();
    }
}
