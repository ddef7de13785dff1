using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// What a test reads from the ErrorRecords a real runspace reports: the module's ErrorId (the part of
    /// FullyQualifiedErrorId before the comma, which PowerShell completes with the cmdlet's type), the message a user sees
    /// and the records of one run, terminating or not.
    /// </summary>
    public static class ErrorRecordFacts
    {
        /// <summary>"Policy.Name.Pattern" of "Policy.Name.Pattern,FmsTools.Commands.NewFmsWafPolicy".</summary>
        public static string ErrorId(this ErrorRecord error)
        {
            var id = error.FullyQualifiedErrorId;
            var comma = id.IndexOf(',');
            return comma < 0 ? id : id.Substring(0, comma);
        }

        /// <summary>The message PowerShell shows: ErrorDetails when the module set them, else the exception's.</summary>
        public static string Message(this ErrorRecord error) => error.ErrorDetails?.Message ?? error.Exception.Message;

        /// <summary>Every error of the run: the non-terminating ones in order, then the terminating one.</summary>
        public static IReadOnlyList<ErrorRecord> AllErrors(this PowerShellResult result)
            => result.Terminating == null ? result.Errors : result.Errors.Concat(new[] { result.Terminating.ErrorRecord }).ToList();

        /// <summary>The ErrorIds of every error of the run.</summary>
        public static IReadOnlyList<string> ErrorIds(this PowerShellResult result) => result.AllErrors().Select(ErrorId).ToList();

        /// <summary>Fails unless the run ended with a terminating error of this id; returns it.</summary>
        public static ErrorRecord ShouldStopWith(this PowerShellResult result, string errorId)
        {
            if (result.Terminating == null)
                throw new Xunit.Sdk.XunitException($"Expected the script to stop with {errorId}; it ended normally with errors: "
                                                   + string.Join("; ", result.Errors.Select(PowerShellResult.Describe)));
            var record = result.Terminating.ErrorRecord;
            if (record.ErrorId() != errorId) throw new Xunit.Sdk.XunitException($"Expected {errorId}, got {PowerShellResult.Describe(record)}");
            return record;
        }

        /// <summary>Fails unless the run wrote exactly one non-terminating error, of this id, and went on; returns it.</summary>
        public static ErrorRecord ShouldReportOne(this PowerShellResult result, string errorId)
        {
            if (result.Terminating != null)
                throw new Xunit.Sdk.XunitException($"Expected one non-terminating {errorId}; the script stopped with {PowerShellResult.Describe(result.Terminating.ErrorRecord)}");
            if (result.Errors.Count != 1 || result.Errors[0].ErrorId() != errorId)
                throw new Xunit.Sdk.XunitException($"Expected one {errorId}, got: " + string.Join("; ", result.Errors.Select(PowerShellResult.Describe)));
            return result.Errors[0];
        }

        /// <summary>
        /// The "What if:" messages PowerShell wrote to the host since <paramref name="from"/> (a position in
        /// <see cref="TestPSHost.Text"/>), one entry each: a message whose action spans lines (a policy diff) keeps its
        /// following lines, up to the next "What if:" or an empty line.
        /// </summary>
        public static IReadOnlyList<string> WhatIfLines(this TestPSHost host, int from)
        {
            var messages = new List<string>();
            var open = false;
            foreach (var line in host.Text.Substring(from).Split('\n'))
            {
                if (line.StartsWith("What if: ", StringComparison.Ordinal))
                {
                    messages.Add(line);
                    open = true;
                }
                else if (open && line.Trim().Length > 0) messages[messages.Count - 1] += "\n" + line;
                else open = false;
            }
            return messages;
        }
    }
}
