using System;
using System.IO;
using FmsTools.Engine.Compliance.Exceptions;
using FmsTools.Engine.Diagnostics;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Loads the exceptions file of a compliance cmdlet: -ExceptionPath, or the session default $FmsExceptionPath when
    /// the parameter is not given (an empty -ExceptionPath '' turns the default off). A missing or invalid file stops
    /// the command before any call, naming every entry index and field at fault.
    /// </summary>
    internal static class ComplianceExceptionLoader
    {
        /// <summary>The session default a script or Pester run sets once: $global:FmsExceptionPath = './fms-exceptions.json'.</summary>
        internal const string SessionDefaultVariable = "global:FmsExceptionPath";

        internal static ComplianceExceptionSet? Load(FmsCmdlet cmdlet, string? exceptionPath, bool bound, DateTime utcNow)
        {
            var path = bound ? exceptionPath : cmdlet.GetSessionVariable(SessionDefaultVariable)?.ToString();
            if (string.IsNullOrWhiteSpace(path)) return null;
            var full = cmdlet.ResolvePath(path!);
            if (!File.Exists(full))
                throw new FmsTerminatingException(new FmsError("ExceptionFileNotFound", FmsErrorCategory.ObjectNotFound,
                    $"The exceptions file '{full}' does not exist" + (bound ? "." : $" (from ${SessionDefaultVariable.Substring(7)})."), full,
                    recommendedAction: "Check -ExceptionPath, or clear the session default with $global:FmsExceptionPath = $null."));
            try
            {
                var entries = ComplianceExceptionFile.Load(full);
                cmdlet.WriteVerbose($"Read {entries.Count} exceptions from {full}.");
                return new ComplianceExceptionSet(entries, utcNow);
            }
            catch (ComplianceExceptionFileException e)
            {
                throw new FmsTerminatingException(new FmsError("ExceptionFileInvalid", FmsErrorCategory.InvalidData, e.Message, e.Findings,
                    recommendedAction: "Fix the entries named; the schema is Data/fms-exceptions.schema.json in the module folder."));
            }
        }

        /// <summary>Writes a warning per stale entry and per expired entry that matches violations again.</summary>
        internal static void WarnAbout(FmsCmdlet cmdlet, ComplianceExceptionSet? set)
        {
            if (set == null) return;
            foreach (var line in set.Describe()) cmdlet.WriteWarning(line);
        }
    }
}
