using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FmsTools.Sandbox.Protocol
{
    /// <summary>One shape of a botocore service model, reduced to what request validation needs.</summary>
    internal sealed class ShapeModel
    {
        public ShapeModel(string name, string type) { Name = name; Type = type; }

        public string Name { get; }

        /// <summary>structure, list, map, string, integer, long, boolean, timestamp, blob, double, float.</summary>
        public string Type { get; }

        /// <summary>Structure members by wire name, pointing at their target shapes.</summary>
        public Dictionary<string, string> Members { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public HashSet<string> Required { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>List member, or map value shape.</summary>
        public string? ElementShape { get; set; }

        public string? KeyShape { get; set; }

        public double? Min { get; set; }
        public double? Max { get; set; }

        /// <summary>The model's pattern, compiled with Java's matches() semantics (the whole value must match).</summary>
        public Regex? Pattern { get; set; }
        public string? PatternText { get; set; }

        public List<string>? EnumValues { get; set; }
        public HashSet<string>? EnumSet { get; set; }
    }

    internal sealed class OperationModel
    {
        public OperationModel(string name, string? inputShape, string? outputShape, IReadOnlyList<string> errors)
        {
            Name = name;
            InputShape = inputShape;
            OutputShape = outputShape;
            Errors = errors;
        }

        public string Name { get; }
        public string? InputShape { get; }
        public string? OutputShape { get; }
        public IReadOnlyList<string> Errors { get; }
    }

    /// <summary>A botocore JSON service model loaded from the sandbox's embedded resources.</summary>
    internal sealed class ServiceModel
    {
        private ServiceModel(string serviceKey, JsonElement root)
        {
            ServiceKey = serviceKey;
            var metadata = root.GetProperty("metadata");
            TargetPrefix = metadata.TryGetProperty("targetPrefix", out var prefix) ? prefix.GetString() ?? "" : "";
            SigningName = metadata.TryGetProperty("signingName", out var signing) ? signing.GetString() ?? ""
                : metadata.GetProperty("endpointPrefix").GetString() ?? "";
            ApiVersion = metadata.GetProperty("apiVersion").GetString() ?? "";
            foreach (var shape in root.GetProperty("shapes").EnumerateObject())
                Shapes[shape.Name] = ParseShape(shape.Name, shape.Value);
            foreach (var operation in root.GetProperty("operations").EnumerateObject())
            {
                var errors = new List<string>();
                if (operation.Value.TryGetProperty("errors", out var errorList))
                    foreach (var error in errorList.EnumerateArray()) errors.Add(error.GetProperty("shape").GetString()!);
                Operations[operation.Name] = new OperationModel(operation.Name,
                    operation.Value.TryGetProperty("input", out var input) ? input.GetProperty("shape").GetString() : null,
                    operation.Value.TryGetProperty("output", out var output) ? output.GetProperty("shape").GetString() : null,
                    errors);
            }
        }

        /// <summary>fms, organizations or wafv2.</summary>
        public string ServiceKey { get; }
        public string TargetPrefix { get; }
        public string SigningName { get; }
        public string ApiVersion { get; }
        public Dictionary<string, ShapeModel> Shapes { get; } = new Dictionary<string, ShapeModel>(StringComparer.Ordinal);
        public Dictionary<string, OperationModel> Operations { get; } = new Dictionary<string, OperationModel>(StringComparer.Ordinal);

        private static readonly Dictionary<string, ServiceModel> Cache = new Dictionary<string, ServiceModel>(StringComparer.Ordinal);

        /// <summary>Loads (once per process) the embedded model FmsTools.Sandbox.Models.{key}.json.gz.</summary>
        public static ServiceModel Load(string serviceKey)
        {
            lock (Cache)
            {
                if (Cache.TryGetValue(serviceKey, out var cached)) return cached;
                var resource = "FmsTools.Sandbox.Models." + serviceKey + ".json.gz";
                using var stream = typeof(ServiceModel).Assembly.GetManifestResourceStream(resource)
                    ?? throw new InvalidOperationException("The sandbox assembly lacks the embedded model " + resource + ".");
                using var gzip = new GZipStream(stream, CompressionMode.Decompress);
                using var buffer = new MemoryStream();
                gzip.CopyTo(buffer);
                using var document = JsonDocument.Parse(buffer.ToArray());
                var model = new ServiceModel(serviceKey, document.RootElement);
                Cache[serviceKey] = model;
                return model;
            }
        }

        private static ShapeModel ParseShape(string name, JsonElement element)
        {
            var shape = new ShapeModel(name, element.GetProperty("type").GetString()!);
            if (element.TryGetProperty("members", out var members))
                foreach (var member in members.EnumerateObject())
                    shape.Members[member.Name] = member.Value.GetProperty("shape").GetString()!;
            if (element.TryGetProperty("required", out var required))
                foreach (var item in required.EnumerateArray()) shape.Required.Add(item.GetString()!);
            if (element.TryGetProperty("member", out var listMember)) shape.ElementShape = listMember.GetProperty("shape").GetString();
            if (element.TryGetProperty("value", out var mapValue)) shape.ElementShape = mapValue.GetProperty("shape").GetString();
            if (element.TryGetProperty("key", out var mapKey)) shape.KeyShape = mapKey.GetProperty("shape").GetString();
            if (element.TryGetProperty("min", out var min)) shape.Min = min.GetDouble();
            if (element.TryGetProperty("max", out var max)) shape.Max = max.GetDouble();
            if (element.TryGetProperty("pattern", out var pattern))
            {
                shape.PatternText = pattern.GetString();
                shape.Pattern = CompileJavaPattern(shape.PatternText!);
            }
            if (element.TryGetProperty("enum", out var values))
            {
                shape.EnumValues = new List<string>();
                foreach (var value in values.EnumerateArray()) shape.EnumValues.Add(value.GetString()!);
                shape.EnumSet = new HashSet<string>(shape.EnumValues, StringComparer.Ordinal);
            }
            return shape;
        }

        /// <summary>
        /// AWS checks patterns with Java's Matcher.matches(): the whole value must match, anchors or not.
        /// Wrapping in ^(?:...)\z gives the same result in .NET (plain $ would also accept a trailing newline).
        /// A pattern .NET cannot compile is skipped rather than rejecting valid input.
        /// </summary>
        internal static Regex? CompileJavaPattern(string pattern)
        {
            try
            {
                return new Regex("^(?:" + pattern + @")\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }
}
