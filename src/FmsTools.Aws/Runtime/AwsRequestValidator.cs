using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace FmsTools.Aws.Runtime
{
    /// <summary>A request broke a constraint of the service model; nothing was sent.</summary>
    public sealed class AwsRequestValidationException : ArgumentException
    {
        public AwsRequestValidationException(string operation, string memberPath, string problem)
            : base($"{operation}: {memberPath} {problem}", memberPath)
        {
            Operation = operation;
            MemberPath = memberPath;
            Problem = problem;
        }

        public string Operation { get; }

        /// <summary>Dotted path of the offending member, e.g. Policy.SecurityServicePolicyData.Type.</summary>
        public string MemberPath { get; }

        public string Problem { get; }

        public override string Message => $"{Operation}: {MemberPath} {Problem}";
    }

    /// <summary>
    /// Checks a request against the model constraints carried by [AwsMember]: required members, and minimum and
    /// maximum lengths, counts and values. Patterns and enum values are left to the service: model regexes use
    /// dialects .NET does not always share, and services add enum values before clients learn them
    /// (botocore does not check either for the same reasons).
    /// </summary>
    public static class AwsRequestValidator
    {
        private sealed class MemberInfoEntry
        {
            public MemberInfoEntry(PropertyInfo property, AwsMemberAttribute member, string wireName)
            {
                Property = property;
                Member = member;
                WireName = wireName;
            }

            public PropertyInfo Property { get; }
            public AwsMemberAttribute Member { get; }
            public string WireName { get; }
        }

        private static readonly ConcurrentDictionary<Type, MemberInfoEntry[]> Members = new ConcurrentDictionary<Type, MemberInfoEntry[]>();

        /// <summary>Throws <see cref="AwsRequestValidationException"/> naming the first member that breaks the model.</summary>
        public static void Validate(string operation, object? request)
        {
            if (request == null) throw new AwsRequestValidationException(operation, "request", "is required.");
            ValidateObject(operation, request, "", depth: 0);
        }

        private static void ValidateObject(string operation, object value, string path, int depth)
        {
            // Models are acyclic in practice; the bound protects against a hand-built cyclic graph.
            if (depth > 64) return;
            foreach (var entry in MembersOf(value.GetType()))
            {
                var memberPath = path.Length == 0 ? entry.WireName : path + "." + entry.WireName;
                var memberValue = entry.Property.GetValue(value);
                if (memberValue == null)
                {
                    if (entry.Member.Required) throw new AwsRequestValidationException(operation, memberPath, "is required.");
                    continue;
                }
                ValidateValue(operation, entry.Member, memberValue, memberPath, depth);
            }
        }

        private static void ValidateValue(string operation, AwsMemberAttribute member, object value, string path, int depth)
        {
            switch (value)
            {
                case string text:
                    CheckLength(operation, path, text.Length, member, "characters");
                    return;
                case byte[] bytes:
                    CheckLength(operation, path, bytes.Length, member, "bytes");
                    return;
                case int _:
                case long _:
                case double _:
                case float _:
                    CheckRange(operation, path, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), member);
                    return;
                case bool _:
                case DateTime _:
                    return;
                case IDictionary map:
                    CheckLength(operation, path, map.Count, member, "entries");
                    foreach (DictionaryEntry pair in map)
                    {
                        if (pair.Value != null && IsStructure(pair.Value.GetType()))
                            ValidateObject(operation, pair.Value, path + "[" + pair.Key + "]", depth + 1);
                    }
                    return;
                case IList list:
                    CheckLength(operation, path, list.Count, member, "items");
                    for (var i = 0; i < list.Count; i++)
                    {
                        var item = list[i];
                        if (item == null)
                            throw new AwsRequestValidationException(operation, path + "[" + i + "]", "is null; lists cannot hold nulls.");
                        if (IsStructure(item.GetType())) ValidateObject(operation, item, path + "[" + i + "]", depth + 1);
                    }
                    return;
                default:
                    if (IsStructure(value.GetType())) ValidateObject(operation, value, path, depth + 1);
                    return;
            }
        }

        private static void CheckLength(string operation, string path, int length, AwsMemberAttribute member, string unit)
        {
            if (!double.IsNaN(member.Min) && length < member.Min)
                throw new AwsRequestValidationException(operation, path, $"has {length} {unit}; the minimum is {member.Min}.");
            if (!double.IsNaN(member.Max) && length > member.Max)
                throw new AwsRequestValidationException(operation, path, $"has {length} {unit}; the maximum is {member.Max}.");
        }

        private static void CheckRange(string operation, string path, double number, AwsMemberAttribute member)
        {
            if (!double.IsNaN(member.Min) && number < member.Min)
                throw new AwsRequestValidationException(operation, path, $"is {number}; the minimum is {member.Min}.");
            if (!double.IsNaN(member.Max) && number > member.Max)
                throw new AwsRequestValidationException(operation, path, $"is {number}; the maximum is {member.Max}.");
        }

        private static bool IsStructure(Type type) => MembersOf(type).Length > 0;

        private static MemberInfoEntry[] MembersOf(Type type) => Members.GetOrAdd(type, t => t
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => new
            {
                Property = p,
                Member = p.GetCustomAttribute<AwsMemberAttribute>(),
                Name = p.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name ?? p.Name,
            })
            .Where(x => x.Member != null)
            .Select(x => new MemberInfoEntry(x.Property, x.Member!, x.Name))
            .ToArray());
    }
}
