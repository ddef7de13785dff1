using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Regex = System.Text.RegularExpressions.Regex;
using InvalidOperationException = System.InvalidOperationException;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Organizations;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Wafv2;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Aws
{
    /// <summary>
    /// Our wire shapes against botocore's models, read from the Python installation at test time: a request with
    /// every member populated with valid values serializes to JSON the model's input shape accepts, and a response
    /// with every member populated survives deserialization and re-serialization unchanged.
    /// </summary>
    public class WireConformanceTests
    {
        internal static JsonObject LoadModel(string service)
        {
            var folder = Path.Combine(PythonTooling.RequireBotocore(), "data", service);
            var version = Directory.GetDirectories(folder).Select(Path.GetFileName).OrderBy(v => v, StringComparer.Ordinal).Last()!;
            var path = Path.Combine(folder, version, "service-2.json");
            using Stream raw = File.Exists(path) ? File.OpenRead(path) : new GZipStream(File.OpenRead(path + ".gz"), CompressionMode.Decompress);
            return JsonNode.Parse(raw)!.AsObject();
        }

        [RequiresFact(Prerequisite.Botocore)]
        public void Fms_every_operation_round_trips_and_validates() => Check("fms", FmsOperations.All, expectAll: true);

        [RequiresFact(Prerequisite.Botocore)]
        public void Organizations_operations_round_trip_and_validate() => Check("organizations", OrganizationsOperations.All, expectAll: false);

        [RequiresFact(Prerequisite.Botocore)]
        public void Wafv2_operations_round_trip_and_validate() => Check("wafv2", Wafv2Operations.All, expectAll: false);

        private static void Check(string service, IReadOnlyList<AwsOperation> operations, bool expectAll)
        {
            var model = LoadModel(service);
            var shapes = model["shapes"]!.AsObject();
            var modelOperations = model["operations"]!.AsObject();
            var problems = new List<string>();
            if (expectAll)
            {
                var missing = modelOperations.Select(o => o.Key).Except(operations.Select(o => o.Name)).ToList();
                if (missing.Count > 0) problems.Add("operations missing from the client: " + string.Join(", ", missing));
            }
            Assert.True(operations.Count > 0);
            foreach (var operation in operations)
            {
                if (!modelOperations.TryGetPropertyValue(operation.Name, out var op))
                {
                    problems.Add($"{operation.Name}: not in botocore's {service} model");
                    continue;
                }
                var generator = new ValueGenerator(shapes);
                var input = op!["input"]?["shape"]?.GetValue<string>();
                if (input != null)
                {
                    var wanted = generator.Generate(input, 0)!.AsObject();
                    var request = JsonSerializer.Deserialize(wanted.ToJsonString(), operation.RequestType, AwsJson.Options)!;
                    try
                    {
                        AwsRequestValidator.Validate(operation.Name, request);
                    }
                    catch (AwsRequestValidationException e)
                    {
                        problems.Add($"{operation.Name}: client-side validation rejected valid input: {e.Message}");
                    }
                    var wire = JsonNode.Parse(JsonSerializer.Serialize(request, operation.RequestType, AwsJson.Options))!;
                    var before = problems.Count;
                    new ModelValidator(shapes, problems, operation.Name + " request").Validate(input, wire, "");
                    if (problems.Count == before && !JsonNode.DeepEquals(wanted, wire))
                        problems.Add($"{operation.Name}: request lost or changed members.\n  model: {wanted.ToJsonString()}\n  wire:  {wire.ToJsonString()}");
                }
                var output = op["output"]?["shape"]?.GetValue<string>();
                if (output != null)
                {
                    var answer = generator.Generate(output, 0)!;
                    var response = JsonSerializer.Deserialize(answer.ToJsonString(), operation.ResponseType, AwsJson.Options)!;
                    var again = JsonNode.Parse(JsonSerializer.Serialize(response, operation.ResponseType, AwsJson.Options))!;
                    if (!JsonNode.DeepEquals(answer, again))
                        problems.Add($"{operation.Name}: response lost or changed members.\n  model: {answer.ToJsonString()}\n  ours:  {again.ToJsonString()}");
                }
                var modelErrors = (op["errors"]?.AsArray() ?? new JsonArray()).Select(e => e!["shape"]!.GetValue<string>()).OrderBy(x => x).ToList();
                if (!modelErrors.SequenceEqual(operation.Errors.OrderBy(x => x)))
                    problems.Add($"{operation.Name}: errors differ from the model");
            }
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [RequiresFact(Prerequisite.Botocore)]
        public void Modeled_errors_have_typed_exceptions()
        {
            foreach (var (service, assembly, prefix) in new[] { ("fms", typeof(FmsErrors), "Fms"), ("organizations", typeof(OrganizationsErrors), "Organizations"), ("wafv2", typeof(Wafv2Errors), "Wafv2") })
            {
                var shapes = LoadModel(service)["shapes"]!.AsObject();
                var codes = (IReadOnlyList<string>)assembly.Assembly.GetType($"FmsTools.Aws.{prefix}.{prefix}ErrorCodes")!.GetField("All")!.GetValue(null)!;
                Assert.NotEmpty(codes);
                foreach (var code in codes)
                {
                    Assert.True(shapes[code]?["exception"]?.GetValue<bool>() == true, $"{code} is not an error shape in {service}");
                    var create = (AwsErrorFactory)Delegate.CreateDelegate(typeof(AwsErrorFactory), assembly.GetMethod("Create")!);
                    var error = create(code, "m", System.Net.HttpStatusCode.BadRequest, "r", "Op");
                    Assert.NotEqual(typeof(AwsServiceException), error.GetType());
                    Assert.StartsWith(prefix, error.GetType().Name);
                    Assert.Equal(code, error.ErrorCode);
                }
            }
        }

        /// <summary>Builds a JSON value for a shape with every member populated, within the model's constraints.</summary>
        private sealed class ValueGenerator
        {
            private const int MaxDepth = 6;
            private readonly JsonObject _shapes;

            public ValueGenerator(JsonObject shapes) { _shapes = shapes; }

            public JsonNode? Generate(string shapeName, int depth)
            {
                var shape = _shapes[shapeName]!.AsObject();
                var type = shape["type"]!.GetValue<string>();
                switch (type)
                {
                    case "structure":
                    {
                        var result = new JsonObject();
                        var required = (shape["required"]?.AsArray() ?? new JsonArray()).Select(r => r!.GetValue<string>()).ToHashSet();
                        foreach (var member in shape["members"]!.AsObject())
                        {
                            // Recursive shapes (WAFv2 statements) stop at a depth with only their required members.
                            if (depth >= MaxDepth && !required.Contains(member.Key)) continue;
                            var value = Generate(member.Value!["shape"]!.GetValue<string>(), depth + 1);
                            if (value != null) result[member.Key] = value;
                        }
                        return result;
                    }
                    case "list":
                    {
                        var array = new JsonArray();
                        var count = Count(shape);
                        for (var i = 0; i < count; i++) array.Add(Generate(shape["member"]!["shape"]!.GetValue<string>(), depth + 1));
                        return array;
                    }
                    case "map":
                    {
                        var map = new JsonObject();
                        var keyShape = shape["key"]!["shape"]!.GetValue<string>();
                        var count = Count(shape);
                        for (var i = 0; map.Count < count && i < 50; i++)
                            map[Generate(keyShape, depth + 1)!.GetValue<string>() + (i == 0 ? "" : i.ToString())] = Generate(shape["value"]!["shape"]!.GetValue<string>(), depth + 1);
                        return map;
                    }
                    case "string":
                        if (shape["enum"] is JsonArray values) return JsonValue.Create(values[0]!.GetValue<string>());
                        return JsonValue.Create(StringFor(shapeName, shape));
                    case "integer":
                    case "long":
                        return JsonValue.Create((long)Math.Max(Min(shape), Math.Min(7, shape["max"]?.GetValue<double>() ?? 7)));
                    case "double":
                    case "float":
                        return JsonValue.Create(Math.Max(Min(shape), 1.5));
                    case "boolean":
                        return JsonValue.Create(true);
                    case "timestamp":
                        return JsonValue.Create(1700000000);
                    case "blob":
                        return JsonValue.Create(Convert.ToBase64String(new byte[] { 1, 2, 3 }));
                    default:
                        throw new InvalidOperationException($"shape {shapeName} has unknown type {type}");
                }
            }

            private static double Min(JsonObject shape) => shape["min"]?.GetValue<double>() ?? 0;

            private static int Count(JsonObject shape)
            {
                var min = (int)Min(shape);
                var max = shape["max"]?.GetValue<double>() ?? double.MaxValue;
                return (int)Math.Min(Math.Max(min, 1), max);
            }

            private static readonly string[] Candidates =
            {
                "123456789012", "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6", "a1b2c3d4e5f6a1b2c3d4e5", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                "r-ab12", "ou-ab12-abcd1234", "o-abcdefghij", "o-abcdefghij/r-ab12/", "abc:", "user@example.com",
                "arn:aws:organizations::123456789012:account/o-abcdefghij/123456789012",
                "arn:aws:organizations::123456789012:root/o-abcdefghij/r-ab12",
                "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-abcd1234",
                "arn:aws:organizations::123456789012:organization/o-abcdefghij",
                "arn:aws:fms:us-east-1:123456789012:policy/a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6", "10.0.0.0/8", "value1", "us-east-1", "1",
            };

            private static string StringFor(string shapeName, JsonObject shape)
            {
                var min = (int)Min(shape);
                var max = (int)(shape["max"]?.GetValue<double>() ?? int.MaxValue);
                var pattern = shape["pattern"]?.GetValue<string>();
                var filler = new string('a', Math.Max(1, Math.Min(max, Math.Max(min, 5))));
                foreach (var candidate in new[] { filler }.Concat(Candidates))
                {
                    if (candidate.Length < min || candidate.Length > max) continue;
                    if (pattern == null || Regex.IsMatch(candidate, pattern)) return candidate;
                }
                throw new InvalidOperationException($"no test value for string shape {shapeName} (pattern {pattern}, length {min}..{max})");
            }
        }

        /// <summary>Checks JSON against a model shape: member names, types, required members, enums, ranges, patterns.</summary>
        internal sealed class ModelValidator
        {
            private readonly JsonObject _shapes;
            private readonly List<string> _problems;
            private readonly string _context;

            public ModelValidator(JsonObject shapes, List<string> problems, string context)
            {
                _shapes = shapes;
                _problems = problems;
                _context = context;
            }

            private void Problem(string path, string text) => _problems.Add($"{_context} {(path.Length == 0 ? "(root)" : path)}: {text}");

            public void Validate(string shapeName, JsonNode? node, string path)
            {
                var shape = _shapes[shapeName]!.AsObject();
                var type = shape["type"]!.GetValue<string>();
                if (node == null) { Problem(path, "is null"); return; }
                switch (type)
                {
                    case "structure":
                        if (node is not JsonObject obj) { Problem(path, "is not an object"); return; }
                        var members = shape["members"]!.AsObject();
                        foreach (var required in shape["required"]?.AsArray() ?? new JsonArray())
                            if (!obj.ContainsKey(required!.GetValue<string>())) Problem(path, $"required member {required} is missing");
                        foreach (var property in obj)
                        {
                            if (!members.TryGetPropertyValue(property.Key, out var member)) { Problem(path, $"unknown member {property.Key}"); continue; }
                            Validate(member!["shape"]!.GetValue<string>(), property.Value, Join(path, property.Key));
                        }
                        return;
                    case "list":
                        if (node is not JsonArray array) { Problem(path, "is not an array"); return; }
                        Range(path, shape, array.Count);
                        for (var i = 0; i < array.Count; i++) Validate(shape["member"]!["shape"]!.GetValue<string>(), array[i], $"{path}[{i}]");
                        return;
                    case "map":
                        if (node is not JsonObject map) { Problem(path, "is not an object (map)"); return; }
                        Range(path, shape, map.Count);
                        foreach (var entry in map)
                        {
                            Validate(shape["key"]!["shape"]!.GetValue<string>(), JsonValue.Create(entry.Key), Join(path, "(key)"));
                            Validate(shape["value"]!["shape"]!.GetValue<string>(), entry.Value, Join(path, entry.Key));
                        }
                        return;
                    case "string":
                        if (node.GetValueKind() != JsonValueKind.String) { Problem(path, "is not a string"); return; }
                        var text = node.GetValue<string>();
                        Range(path, shape, text.Length);
                        if (shape["enum"] is JsonArray values && !values.Any(v => v!.GetValue<string>() == text)) Problem(path, $"'{text}' is not one of the enum values");
                        if (shape["pattern"] is JsonNode pattern && !Regex.IsMatch(text, pattern.GetValue<string>())) Problem(path, $"'{text}' does not match {pattern}");
                        return;
                    case "integer":
                    case "long":
                        if (node.GetValueKind() != JsonValueKind.Number || !long.TryParse(node.ToJsonString(), out var whole)) { Problem(path, "is not an integer"); return; }
                        Range(path, shape, whole);
                        return;
                    case "double":
                    case "float":
                    case "timestamp":
                        if (node.GetValueKind() != JsonValueKind.Number) Problem(path, $"is not a number ({type})");
                        return;
                    case "boolean":
                        if (node.GetValueKind() != JsonValueKind.True && node.GetValueKind() != JsonValueKind.False) Problem(path, "is not a boolean");
                        return;
                    case "blob":
                        if (node.GetValueKind() != JsonValueKind.String) Problem(path, "is not a base64 string");
                        return;
                }
            }

            private void Range(string path, JsonObject shape, double value)
            {
                if (shape["min"] is JsonNode min && value < min.GetValue<double>()) Problem(path, $"{value} is below the minimum {min}");
                if (shape["max"] is JsonNode max && value > max.GetValue<double>()) Problem(path, $"{value} is above the maximum {max}");
            }

            private static string Join(string path, string member) => path.Length == 0 ? member : path + "." + member;
        }
    }
}
