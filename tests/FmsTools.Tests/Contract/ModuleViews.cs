using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// The module's format and type files as PowerShell loaded them (Get-FormatData, Get-TypeData): every view and type data
    /// entry names a type PowerShell can resolve, every property they name exists on it (a .NET property, or a member the
    /// type data adds), and every type of the module's own that a cmdlet declares as output has a table view.
    /// </summary>
    internal static class ModuleViews
    {
        private sealed record View(string Name, string TypeName, string Control, List<string> Properties);

        public static void Check(ModuleRunspace module, IReadOnlyList<Type> outputTypes, List<ContractViolation> violations)
        {
            foreach (var (file, error) in module.LoadErrors)
                violations.Add(new ContractViolation("Format.Invalid", file, error.Exception.Message));

            var typeData = module.TypeData();
            var views = module.FormatData()
                .SelectMany(d => d.TypeNames.SelectMany(t => d.FormatViewDefinition.Select(v => new View(v.Name, t, ControlName(v.Control), PropertiesOf(v.Control)))))
                .ToList();
            foreach (var view in views)
            {
                var type = module.ResolveType(view.TypeName);
                if (type == null)
                {
                    violations.Add(new ContractViolation("Format.UnknownType", view.Name, $"The view names type '{view.TypeName}', which does not exist."));
                    continue;
                }
                foreach (var property in view.Properties.Distinct().Where(p => !HasMember(type, p, typeData)))
                    violations.Add(new ContractViolation("Format.UnknownProperty", view.Name, $"'{view.TypeName}' has no property '{property}'."));
            }

            foreach (var data in typeData)
            {
                var type = module.ResolveType(data.TypeName);
                if (type == null)
                {
                    violations.Add(new ContractViolation("Types.UnknownType", data.TypeName, $"Type data for '{data.TypeName}', which does not exist."));
                    continue;
                }
                var referenced = data.Members.Values.OfType<AliasPropertyData>().Select(a => a.ReferencedMemberName)
                    .Concat(new[] { data.DefaultDisplayProperty })
                    .Concat(data.DefaultDisplayPropertySet?.ReferencedProperties ?? Enumerable.Empty<string>())
                    .Concat(data.DefaultKeyPropertySet?.ReferencedProperties ?? Enumerable.Empty<string>())
                    .Concat(data.PropertySerializationSet?.ReferencedProperties ?? Enumerable.Empty<string>())
                    .Where(n => !string.IsNullOrEmpty(n));
                foreach (var name in referenced.Distinct().Where(n => !HasMember(type, n, typeData)))
                    violations.Add(new ContractViolation("Types.UnknownProperty", data.TypeName, $"'{data.TypeName}' has no property '{name}'."));
            }

            foreach (var type in outputTypes.Where(IsOwnType))
            {
                var hasTable = views.Any(v => v.Control == "Table" && SelfAndBases(type).Any(t => t.FullName == v.TypeName));
                if (!hasTable)
                    violations.Add(new ContractViolation("Format.NoTableView", type.FullName!, "Every output type has a table view."));
            }
        }

        private static string ControlName(PSControl control) => control switch
        {
            TableControl => "Table",
            ListControl => "List",
            WideControl => "Wide",
            _ => "Custom",
        };

        /// <summary>The properties a view shows or groups by (script block entries name none).</summary>
        private static List<string> PropertiesOf(PSControl control)
        {
            var entries = new List<DisplayEntry?>();
            switch (control)
            {
                case TableControl table:
                    entries.Add(table.GroupBy?.Expression);
                    entries.AddRange(table.Rows.SelectMany(r => r.Columns).Select(c => c.DisplayEntry));
                    break;
                case ListControl list:
                    entries.Add(list.GroupBy?.Expression);
                    entries.AddRange(list.Entries.SelectMany(e => e.Items).Select(i => i.DisplayEntry));
                    break;
                case WideControl wide:
                    entries.Add(wide.GroupBy?.Expression);
                    entries.AddRange(wide.Entries.Select(e => e.DisplayEntry));
                    break;
                case CustomControl custom:
                    entries.Add(custom.GroupBy?.Expression);
                    entries.AddRange(custom.Entries.SelectMany(e => e.CustomItems).SelectMany(CustomEntries));
                    break;
            }
            return entries.Where(e => e != null && e.ValueType == DisplayEntryValueType.Property).Select(e => e!.Value).ToList();
        }

        private static IEnumerable<DisplayEntry?> CustomEntries(CustomItemBase item) => item switch
        {
            CustomItemExpression expression => new[] { expression.Expression }
                .Concat(expression.CustomControl?.Entries.SelectMany(e => e.CustomItems).SelectMany(CustomEntries) ?? Enumerable.Empty<DisplayEntry?>()),
            CustomItemFrame frame => frame.CustomItems.SelectMany(CustomEntries),
            _ => Enumerable.Empty<DisplayEntry?>(),
        };

        private static bool IsOwnType(Type t)
            => !(t.Namespace ?? "").StartsWith("System", StringComparison.Ordinal) && !t.IsPrimitive;

        private static IEnumerable<Type> SelfAndBases(Type t)
        {
            for (var cur = t; cur != null; cur = cur.BaseType) yield return cur;
        }

        /// <summary>A public instance property of the type (or a base), or a member the module's type data gives it.</summary>
        private static bool HasMember(Type type, string name, List<TypeData> typeData)
            => type.GetProperties().Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
               || typeData.Any(d => SelfAndBases(type).Any(t => t.FullName == d.TypeName) && d.Members.Keys.Contains(name, StringComparer.OrdinalIgnoreCase));
    }
}
