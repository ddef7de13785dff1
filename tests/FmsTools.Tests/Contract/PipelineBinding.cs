using System;
using System.Linq;
using System.Management.Automation;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// Whether an object a producer declares ([OutputType]) can reach a consumer through the pipeline, read from PowerShell's
    /// own parameter sets of the consumer (Get-Command: CommandParameterSetInfo, with the parameters of all sets merged into
    /// each). PowerShell offers no static verdict on this (StaticParameterBinder assumes any piped object binds), so the
    /// types are compared here; the declared pairs of the module are also run for real by Host/PipelinePairTests.
    /// </summary>
    internal static class PipelineBinding
    {
        /// <summary>
        /// Some parameter set of <paramref name="consumer"/> binds an <paramref name="output"/> object: at least one of its
        /// pipeline parameters takes it, and every mandatory parameter of the set that only the pipeline can give does too.
        /// Binding only an optional parameter (the -Region an object carries) while a mandatory one stays unbound is not a
        /// pipeline PowerShell can run.
        /// </summary>
        public static bool Binds(Type output, CommandInfo consumer)
        {
            foreach (var set in consumer.ParameterSets)
            {
                var pipeline = set.Parameters.Where(p => p.ValueFromPipeline || p.ValueFromPipelineByPropertyName).ToList();
                var binding = pipeline.Where(p => Takes(output, p)).ToList();
                if (binding.Count > 0 && !pipeline.Any(p => p.IsMandatory && !binding.Contains(p))) return true;
            }
            return false;
        }

        private static bool Takes(Type output, CommandParameterInfo p)
        {
            var target = p.ParameterType.IsArray ? p.ParameterType.GetElementType()! : p.ParameterType;
            if (p.ValueFromPipeline && (target.IsAssignableFrom(output) || target == typeof(object) || target == typeof(PSObject)))
                return true;
            if (!p.ValueFromPipelineByPropertyName) return false;
            foreach (var name in new[] { p.Name }.Concat(p.Aliases))
            {
                var property = output.GetProperties().FirstOrDefault(x => x.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                if (property == null) continue;
                var source = property.PropertyType.IsArray ? property.PropertyType.GetElementType()! : property.PropertyType;
                source = Nullable.GetUnderlyingType(source) ?? source;
                var t = Nullable.GetUnderlyingType(target) ?? target;
                if (t.IsAssignableFrom(source) || (t == typeof(string) && (source.IsPrimitive || source.IsEnum || source == typeof(string))))
                    return true;
            }
            return false;
        }
    }
}
