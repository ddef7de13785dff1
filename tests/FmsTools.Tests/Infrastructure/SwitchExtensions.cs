using System;
using System.Reflection;
using FmsTools.Infrastructure;

namespace FmsTools.Tests.Infrastructure
{
    /// <summary>
    /// Turns switch parameters on in tests. PowerShellStandard's SwitchParameter is a compile-time stub whose
    /// conversions always yield false, so cmdlets keep each switch in a private bool field named after it
    /// (_passThru for -PassThru), which PowerShell sets through the property and tests set here.
    /// </summary>
    public static class SwitchExtensions
    {
        public static T With<T>(this T cmdlet, params string[] switches) where T : FmsCmdlet
        {
            foreach (var name in switches)
            {
                var fieldName = "_" + char.ToLowerInvariant(name[0]) + name.Substring(1);
                var field = FindField(typeof(T), fieldName)
                            ?? throw new ArgumentException($"{typeof(T).Name} has no switch -{name} backed by a bool field {fieldName}.");
                if (field.FieldType != typeof(bool)) throw new ArgumentException($"{typeof(T).Name}.{fieldName} is not a bool.");
                if (typeof(T).GetProperty(name)?.PropertyType != typeof(System.Management.Automation.SwitchParameter))
                    throw new ArgumentException($"{typeof(T).Name}.{name} is not a switch parameter.");
                field.SetValue(cmdlet, true);
            }
            return cmdlet;
        }

        private static FieldInfo? FindField(Type type, string name)
        {
            for (var t = type; t != null; t = t.BaseType)
            {
                var f = t.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
                if (f != null) return f;
            }
            return null;
        }
    }
}
