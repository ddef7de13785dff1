using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using FmsTools.Infrastructure;

namespace FmsTools.Tests.Reliability
{
    /// <summary>One cmdlet of FmsTools.dll as its [Cmdlet] attribute declares it (read from metadata, not the stub's getters).</summary>
    internal sealed class CmdletInfo
    {
        public CmdletInfo(Type type, string verb, string noun, bool supportsShouldProcess)
        {
            Type = type;
            Verb = verb;
            Noun = noun;
            SupportsShouldProcess = supportsShouldProcess;
        }

        public Type Type { get; }
        public string Verb { get; }
        public string Noun { get; }
        public string Name => Verb + "-" + Noun;
        public bool SupportsShouldProcess { get; }
        public override string ToString() => Name;
    }

    internal static class CmdletCatalog
    {
        /// <summary>Every cmdlet class in FmsTools.dll, found by reflection so new cmdlets are covered automatically.</summary>
        public static IReadOnlyList<CmdletInfo> All()
        {
            var result = new List<CmdletInfo>();
            foreach (var type in typeof(FmsCmdlet).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(FmsCmdlet).IsAssignableFrom(t)))
            {
                var attribute = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(CmdletAttribute));
                if (attribute == null) continue;
                var verb = (string)attribute.ConstructorArguments[0].Value!;
                var noun = (string)attribute.ConstructorArguments[1].Value!;
                var shouldProcess = attribute.NamedArguments.Any(n => n.MemberName == nameof(CmdletAttribute.SupportsShouldProcess) && (bool)n.TypedValue.Value!);
                result.Add(new CmdletInfo(type, verb, noun, shouldProcess));
            }
            return result.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Output objects as JSON: the form results are compared in and secrets are searched for.</summary>
    internal static class OutputJson
    {
        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            ReferenceHandler = ReferenceHandler.IgnoreCycles,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new JsonStringEnumConverter() },
            MaxDepth = 64,
        };

        public static string Of(object? value)
        {
            if (value == null) return "null";
            return value.GetType().FullName + " " + JsonSerializer.Serialize(value, value.GetType(), Options);
        }

        public static List<string> Of(IEnumerable<object?> values) => values.Select(Of).ToList();
    }
}
