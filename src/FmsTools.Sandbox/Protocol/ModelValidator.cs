using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FmsTools.Sandbox.Protocol
{
    /// <summary>
    /// Checks a JSON request body against the operation's input shape in the botocore model, the way
    /// the AWS front end does: a value of the wrong JSON type is a SerializationException; constraint
    /// failures (null required member, length, range, pattern, enum) are collected and reported together
    /// as "N validation error(s) detected: Value ... at 'path' failed to satisfy constraint: ...".
    /// </summary>
    internal sealed class ModelValidator
    {
        private const int MaxReportedViolations = 10;
        private const int MaxDepth = 64;
        private readonly ServiceModel _model;

        public ModelValidator(ServiceModel model) { _model = model; }

        /// <summary>Returns the constraint violations (empty when valid); throws SerializationException on type errors.</summary>
        public List<string> Validate(OperationModel operation, JsonElement body)
        {
            var violations = new List<string>();
            if (operation.InputShape is null) return violations;
            if (body.ValueKind != JsonValueKind.Object)
                throw Serialization("Start of structure or map expected, found " + Describe(body.ValueKind) + ".");
            ValidateStructure(_model.Shapes[operation.InputShape], body, "", violations, 0);
            return violations;
        }

        /// <summary>
        /// The same checks against the operation's output shape (required members, lengths, patterns, types): for tests that
        /// hold the sandbox's answers to the model AWS clients parse them with.
        /// </summary>
        public List<string> ValidateOutput(OperationModel operation, JsonElement body)
        {
            var violations = new List<string>();
            if (operation.OutputShape is null) return violations;
            if (body.ValueKind != JsonValueKind.Object)
                throw Serialization("Start of structure or map expected, found " + Describe(body.ValueKind) + ".");
            ValidateStructure(_model.Shapes[operation.OutputShape], body, "", violations, 0);
            return violations;
        }

        /// <summary>The AWS wording for a set of constraint violations.</summary>
        public static string FormatMessage(IReadOnlyList<string> violations)
        {
            var builder = new StringBuilder();
            builder.Append(violations.Count.ToString(CultureInfo.InvariantCulture))
                .Append(violations.Count == 1 ? " validation error detected: " : " validation errors detected: ");
            builder.Append(string.Join("; ", violations.Take(MaxReportedViolations)));
            return builder.ToString();
        }

        private void ValidateStructure(ShapeModel shape, JsonElement value, string path, List<string> violations, int depth)
        {
            if (depth > MaxDepth) throw Serialization("The request nests structures deeper than " + MaxDepth + " levels.");
            foreach (var required in shape.Required)
            {
                if (!value.TryGetProperty(required, out var present) || present.ValueKind == JsonValueKind.Null)
                    violations.Add(Violation("null", Join(path, required), "Member must not be null"));
            }
            foreach (var property in value.EnumerateObject())
            {
                // Unknown members are ignored, as the real front end does.
                if (!shape.Members.TryGetValue(property.Name, out var memberShape)) continue;
                if (property.Value.ValueKind == JsonValueKind.Null) continue;
                ValidateValue(_model.Shapes[memberShape], property.Value, Join(path, property.Name), violations, depth + 1);
            }
        }

        private void ValidateValue(ShapeModel shape, JsonElement value, string path, List<string> violations, int depth)
        {
            switch (shape.Type)
            {
                case "structure":
                    if (value.ValueKind != JsonValueKind.Object) throw TypeMismatch(value, "structure", path);
                    ValidateStructure(shape, value, path, violations, depth);
                    break;
                case "list":
                    if (value.ValueKind != JsonValueKind.Array) throw TypeMismatch(value, "list", path);
                    CheckLength(shape, value.GetArrayLength(), value, path, violations);
                    var index = 1;
                    var element = _model.Shapes[shape.ElementShape!];
                    foreach (var item in value.EnumerateArray())
                    {
                        var itemPath = path + "." + index.ToString(CultureInfo.InvariantCulture) + ".member";
                        if (item.ValueKind == JsonValueKind.Null)
                            violations.Add(Violation("null", itemPath, "Member must not be null"));
                        else
                            ValidateValue(element, item, itemPath, violations, depth + 1);
                        index++;
                    }
                    break;
                case "map":
                    if (value.ValueKind != JsonValueKind.Object) throw TypeMismatch(value, "map", path);
                    var count = 0;
                    var valueShape = _model.Shapes[shape.ElementShape!];
                    var keyShape = shape.KeyShape is null ? null : _model.Shapes[shape.KeyShape];
                    foreach (var entry in value.EnumerateObject())
                    {
                        count++;
                        if (keyShape != null) CheckString(keyShape, entry.Name, path + ".key", violations);
                        var entryPath = path + "." + entry.Name + ".member";
                        if (entry.Value.ValueKind == JsonValueKind.Null)
                            violations.Add(Violation("null", entryPath, "Member must not be null"));
                        else
                            ValidateValue(valueShape, entry.Value, entryPath, violations, depth + 1);
                    }
                    CheckLength(shape, count, value, path, violations);
                    break;
                case "string":
                    if (value.ValueKind != JsonValueKind.String) throw TypeMismatch(value, "string", path);
                    CheckString(shape, value.GetString()!, path, violations);
                    break;
                case "boolean":
                    if (value.ValueKind != JsonValueKind.True && value.ValueKind != JsonValueKind.False) throw TypeMismatch(value, "boolean", path);
                    break;
                case "integer":
                case "long":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var whole)
                        || (shape.Type == "integer" && (whole < int.MinValue || whole > int.MaxValue)))
                        throw TypeMismatch(value, shape.Type, path);
                    CheckRange(shape, whole, path, violations);
                    break;
                case "double":
                case "float":
                    if (value.ValueKind != JsonValueKind.Number) throw TypeMismatch(value, shape.Type, path);
                    CheckRange(shape, value.GetDouble(), path, violations);
                    break;
                case "timestamp":
                    if (value.ValueKind == JsonValueKind.Number) break;
                    if (value.ValueKind == JsonValueKind.String && DateTime.TryParse(value.GetString(), CultureInfo.InvariantCulture,
                            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _)) break;
                    throw TypeMismatch(value, "timestamp", path);
                case "blob":
                    if (value.ValueKind != JsonValueKind.String) throw TypeMismatch(value, "blob", path);
                    try { Convert.FromBase64String(value.GetString()!); }
                    catch (FormatException) { throw Serialization("Base64 encoded value expected at '" + path + "'."); }
                    break;
            }
        }

        private static void CheckString(ShapeModel shape, string text, string path, List<string> violations)
        {
            if (shape.Min.HasValue && text.Length < shape.Min.Value)
                violations.Add(Violation(Quote(text), path, "Member must have length greater than or equal to " + Number(shape.Min.Value)));
            if (shape.Max.HasValue && text.Length > shape.Max.Value)
                violations.Add(Violation(Quote(text), path, "Member must have length less than or equal to " + Number(shape.Max.Value)));
            if (shape.Pattern != null && !Matches(shape.Pattern, text))
                violations.Add(Violation(Quote(text), path, "Member must satisfy regular expression pattern: " + shape.PatternText));
            if (shape.EnumSet != null && !shape.EnumSet.Contains(text))
                violations.Add(Violation(Quote(text), path, "Member must satisfy enum value set: [" + string.Join(", ", shape.EnumValues!) + "]"));
        }

        private static bool Matches(Regex pattern, string text)
        {
            try { return pattern.IsMatch(text); }
            catch (RegexMatchTimeoutException) { return false; }
        }

        private static void CheckLength(ShapeModel shape, int length, JsonElement value, string path, List<string> violations)
        {
            if (shape.Min.HasValue && length < shape.Min.Value)
                violations.Add(Violation(Quote(Render(value)), path, "Member must have length greater than or equal to " + Number(shape.Min.Value)));
            if (shape.Max.HasValue && length > shape.Max.Value)
                violations.Add(Violation(Quote(Render(value)), path, "Member must have length less than or equal to " + Number(shape.Max.Value)));
        }

        private static void CheckRange(ShapeModel shape, double number, string path, List<string> violations)
        {
            var shown = Quote(number.ToString(CultureInfo.InvariantCulture));
            if (shape.Min.HasValue && number < shape.Min.Value)
                violations.Add(Violation(shown, path, "Member must have value greater than or equal to " + Number(shape.Min.Value)));
            if (shape.Max.HasValue && number > shape.Max.Value)
                violations.Add(Violation(shown, path, "Member must have value less than or equal to " + Number(shape.Max.Value)));
        }

        private static string Violation(string shownValue, string path, string constraint)
            => "Value " + shownValue + " at '" + path + "' failed to satisfy constraint: " + constraint;

        /// <summary>AWS names members in paths with a lowercase first letter: policy.policyName.</summary>
        private static string Join(string path, string member)
        {
            var camel = member.Length == 0 ? member : char.ToLowerInvariant(member[0]) + member.Substring(1);
            return path.Length == 0 ? camel : path + "." + camel;
        }

        private static string Quote(string text) => "'" + (text.Length > 256 ? text.Substring(0, 256) + "..." : text) + "'";

        private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

        /// <summary>Lists and maps are shown Java-style: [a, b] and {k=v}.</summary>
        private static string Render(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Array:
                    return "[" + string.Join(", ", value.EnumerateArray().Select(Render)) + "]";
                case JsonValueKind.Object:
                    return "{" + string.Join(", ", value.EnumerateObject().Select(p => p.Name + "=" + Render(p.Value))) + "}";
                case JsonValueKind.String:
                    return value.GetString()!;
                default:
                    return value.GetRawText();
            }
        }

        private static string Describe(JsonValueKind kind)
        {
            switch (kind)
            {
                case JsonValueKind.Object: return "START_OBJECT";
                case JsonValueKind.Array: return "START_ARRAY";
                case JsonValueKind.String: return "VALUE_STRING";
                case JsonValueKind.Number: return "VALUE_NUMBER";
                case JsonValueKind.True: return "VALUE_TRUE";
                case JsonValueKind.False: return "VALUE_FALSE";
                default: return "VALUE_NULL";
            }
        }

        private static SandboxServiceException TypeMismatch(JsonElement value, string expected, string path)
            => Serialization("Unexpected " + Describe(value.ValueKind) + " at '" + path + "': expected a " + expected + ".");

        internal static SandboxServiceException Serialization(string message)
            => new SandboxServiceException("SerializationException", message, 400, coralNamespace: true);
    }
}
