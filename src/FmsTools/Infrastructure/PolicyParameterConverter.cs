using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Reads the loosely typed values policy cmdlets accept (hashtables, PSCustomObjects, JSON text, arrays)
    /// into strings, key/value maps and JsonNodes. Anything unusable becomes an <see cref="FmsInputException"/>
    /// naming the parameter, so it is reported before any call.
    /// </summary>
    internal static class PolicyParameterConverter
    {
        /// <summary>PSObject wrappers removed; PSCustomObjects become ordered dictionaries of their properties.</summary>
        public static object? Bare(object? value)
        {
            if (value is PSObject pso)
            {
                if (pso.BaseObject is PSCustomObject)
                {
                    var properties = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    foreach (var property in pso.Properties) properties[property.Name] = Bare(property.Value);
                    return properties;
                }
                return Bare(pso.BaseObject);
            }
            return value;
        }

        /// <summary>A hashtable-like value as a case-insensitive map; null when it is not one.</summary>
        public static Dictionary<string, object?>? AsMap(object? value)
        {
            value = Bare(value);
            if (!(value is IDictionary dictionary)) return null;
            var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in dictionary)
                map[Convert.ToString(Bare(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty] = Bare(entry.Value);
            return map;
        }

        public static object? Get(Dictionary<string, object?> map, params string[] keys)
        {
            foreach (var key in keys)
                if (map.TryGetValue(key, out var value) && value != null) return value;
            return null;
        }

        public static string? Text(object? value)
        {
            value = Bare(value);
            return value == null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        public static List<string> TextList(object? value)
        {
            value = Bare(value);
            if (value == null) return new List<string>();
            if (value is string s) return new List<string> { s };
            if (value is IEnumerable items && !(value is IDictionary))
                return items.Cast<object?>().Select(Text).Where(t => t != null).Select(t => t!).ToList();
            return new List<string> { Text(value)! };
        }

        public static int? Number(object? value, string parameter)
        {
            value = Bare(value);
            if (value == null) return null;
            if (value is int i) return i;
            if (int.TryParse(Text(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) return parsed;
            throw new FmsInputException(parameter, "Parameter.Number", $"{parameter}: '{Text(value)}' is not a whole number.");
        }

        public static bool? Flag(object? value)
        {
            value = Bare(value);
            switch (value)
            {
                case null: return null;
                case bool b: return b;
                case SwitchParameter sw: return sw.IsPresent;
                default: return bool.TryParse(Text(value), out var parsed) ? parsed : (bool?)null;
            }
        }

        /// <summary>Array-valued parameters that accept one value or many.</summary>
        public static List<object?> Items(object? value)
        {
            value = Bare(value);
            if (value == null) return new List<object?>();
            if (value is string || value is IDictionary) return new List<object?> { value };
            if (value is IEnumerable items) return items.Cast<object?>().Select(Bare).ToList();
            return new List<object?> { value };
        }

        /// <summary>
        /// A JSON value from a hashtable, PSCustomObject, array, scalar or JSON text (a string starting with { or [).
        /// Keys are kept as given: the service's camelCase names are expected.
        /// </summary>
        public static JsonNode? ToJson(object? value, string parameter)
        {
            value = Bare(value);
            switch (value)
            {
                case null: return null;
                case JsonNode node: return node.DeepClone();
                case JsonBackedObject typed: return typed.ToJson();
                case string text:
                    var trimmed = text.TrimStart();
                    if (trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal))
                    {
                        try
                        {
                            return JsonNode.Parse(text);
                        }
                        catch (JsonException e)
                        {
                            throw new FmsInputException(parameter, "Parameter.Json", $"{parameter}: the text is not valid JSON ({e.Message}).");
                        }
                    }
                    return JsonValue.Create(text);
                case bool b: return JsonValue.Create(b);
                case int i: return JsonValue.Create(i);
                case long l: return JsonValue.Create(l);
                case double d: return JsonValue.Create(d);
                case decimal m: return JsonValue.Create(m);
                case IDictionary dictionary:
                    var obj = new JsonObject();
                    foreach (DictionaryEntry entry in dictionary)
                        obj[Text(entry.Key) ?? string.Empty] = ToJson(entry.Value, parameter);
                    return obj;
                case IEnumerable items:
                    var array = new JsonArray();
                    foreach (var item in items) array.Add(ToJson(item, parameter));
                    return array;
                default:
                    return JsonValue.Create(Text(value));
            }
        }

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
