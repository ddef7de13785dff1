using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// What Windows PowerShell 5.1 lacks, in scripts that it runs. PowerShell 7's parser accepts its own syntax, so the
    /// syntax checks read its tokens (&amp;&amp; ||, ? :, ?? ??= ?. ?[, a line that starts with '|'); commands, parameters
    /// and automatic variables that 5.1 does not have are listed here, and a written parameter is matched after PowerShell
    /// 7 resolved it (a prefix of -AsHashtable is -AsHashtable).
    /// </summary>
    internal static class WindowsPowerShellRules
    {
        /// <summary>Commands that Windows PowerShell 5.1 does not have, and the version that brought them.</summary>
        private static readonly Dictionary<string, string> CommandsNotIn51 = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Get-Error"] = "7.0", ["Test-Json"] = "6.1", ["Join-String"] = "6.2", ["ConvertFrom-Markdown"] = "6.1", ["Show-Markdown"] = "6.1",
            ["Get-Uptime"] = "6.0", ["Remove-Service"] = "6.0", ["Remove-Alias"] = "6.0", ["Get-ExperimentalFeature"] = "6.2",
            ["Enable-ExperimentalFeature"] = "6.2", ["Get-SecureRandom"] = "7.4",
            ["ConvertTo-CliXml"] = "7.5", ["ConvertFrom-CliXml"] = "7.5", ["Get-PSSubsystem"] = "7.3",
        };

        /// <summary>Parameters of built-in commands that Windows PowerShell 5.1 does not have.</summary>
        private static readonly Dictionary<string, string[]> ParametersNotIn51 = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["ForEach-Object"] = new[] { "Parallel", "ThrottleLimit", "AsJob", "TimeoutSeconds", "UseNewRunspace" },
            ["ConvertFrom-Json"] = new[] { "AsHashtable", "Depth", "NoEnumerate", "DateKind" },
            ["ConvertTo-Json"] = new[] { "AsArray", "EnumsAsStrings", "EscapeHandling" },
            ["Get-Content"] = new[] { "AsByteStream" },
            ["Set-Content"] = new[] { "AsByteStream" },
            ["Add-Content"] = new[] { "AsByteStream" },
            ["Invoke-RestMethod"] = new[] { "SkipCertificateCheck", "Authentication", "Token", "SkipHttpErrorCheck", "StatusCodeVariable", "ResponseHeadersVariable", "SslProtocol", "MaximumRetryCount", "RetryIntervalSec", "Form", "Resume", "NoProxy", "SkipHeaderValidation", "HttpVersion", "ConnectionTimeoutSeconds", "OperationTimeoutSeconds", "AllowInsecureRedirect" },
            ["Invoke-WebRequest"] = new[] { "SkipCertificateCheck", "Authentication", "Token", "SkipHttpErrorCheck", "SslProtocol", "MaximumRetryCount", "RetryIntervalSec", "Form", "Resume", "NoProxy", "SkipHeaderValidation", "HttpVersion", "ConnectionTimeoutSeconds", "OperationTimeoutSeconds", "AllowInsecureRedirect" },
            ["Split-Path"] = new[] { "LeafBase", "Extension" },
            ["Join-Path"] = new[] { "AdditionalChildPath" },
            ["Where-Object"] = new[] { "Not" },
            ["Sort-Object"] = new[] { "Top", "Bottom", "Stable" },
            ["Measure-Object"] = new[] { "AllStats", "StandardDeviation" },
            ["Get-Date"] = new[] { "AsUTC", "UnixTimeSeconds" },
            ["Select-String"] = new[] { "Raw", "NoEmphasis", "Culture" },
            ["Start-Sleep"] = new[] { "Duration" },
            ["Get-Random"] = new[] { "Shuffle" },
            ["Test-Connection"] = new[] { "TargetName", "TcpPort", "Ping", "Traceroute", "MtuSize", "Repeat", "Detailed" },
            ["Get-Unique"] = new[] { "CaseInsensitive" },
        };

        /// <summary>Automatic variables that do not exist in Windows PowerShell 5.1 (under Set-StrictMode, reading them throws).</summary>
        private static readonly string[] VariablesNotIn51 = { "IsWindows", "IsLinux", "IsMacOS", "IsCoreCLR", "PSStyle", "PSNativeCommandArgumentPassing" };

        public static void CheckSyntax(Token[] tokens, Ast script, List<ScriptFinding> found)
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                var token = tokens[i];
                var line = token.Extent.StartLineNumber;
                switch (token.Kind)
                {
                    case TokenKind.AndAnd:
                    case TokenKind.OrOr:
                        found.Add(new ScriptFinding("Compat51.PipelineChain", line, $"'{token.Text}' (pipeline chain operators) needs PowerShell 7."));
                        break;
                    case TokenKind.QuestionMark:
                        found.Add(new ScriptFinding("Compat51.Ternary", line, "The ternary operator '? :' needs PowerShell 7."));
                        break;
                    case TokenKind.QuestionQuestion:
                    case TokenKind.QuestionQuestionEquals:
                    case TokenKind.QuestionDot:
                    case TokenKind.QuestionLBracket:
                        found.Add(new ScriptFinding("Compat51.NullCoalescing", line, $"'{token.Text}' (null-coalescing or null-conditional) needs PowerShell 7."));
                        break;
                    case TokenKind.Pipe when PreviousSignificant(tokens, i)?.Kind == TokenKind.NewLine:
                        found.Add(new ScriptFinding("Compat51.LeadingPipe", line, "A line that starts with '|' continues the pipeline only in PowerShell 7."));
                        break;
                }
            }
            foreach (var variable in script.FindAll(a => a is VariableExpressionAst, true).Cast<VariableExpressionAst>())
            {
                var name = ScriptContract.NameOf(variable.VariablePath);
                if (!variable.VariablePath.IsDriveQualified && VariablesNotIn51.Contains(name, StringComparer.OrdinalIgnoreCase))
                    found.Add(new ScriptFinding("Compat51.Variable", variable.Extent.StartLineNumber, $"${name} does not exist in Windows PowerShell 5.1."));
            }
        }

        private static Token? PreviousSignificant(Token[] tokens, int index)
        {
            for (var j = index - 1; j >= 0; j--)
                if (tokens[j].Kind != TokenKind.Comment && tokens[j].Kind != TokenKind.LineContinuation) return tokens[j];
            return null;
        }

        public static void CheckCommand(CommandAst call, string name, ScriptContractSession session, List<ScriptFinding> found)
        {
            var line = call.CommandElements[0].Extent.StartLineNumber;
            if (CommandsNotIn51.TryGetValue(name, out var since))
                found.Add(new ScriptFinding("Compat51.Command", line, $"{name} needs PowerShell {since}."));
            if (!ParametersNotIn51.TryGetValue(name, out var missing)) return;
            var command = session.BuiltIn(name);
            if (command == null) return;
            foreach (var written in call.CommandElements.OfType<CommandParameterAst>())
            {
                var parameter = session.Resolve(command, written.ParameterName);
                if (parameter != null && missing.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                    found.Add(new ScriptFinding("Compat51.Parameter", written.Extent.StartLineNumber, $"{name} -{parameter.Name} does not exist in Windows PowerShell 5.1."));
            }
            // Join-Path [-Path] <string[]> [-ChildPath] <string>: PowerShell 7 binds a third positional argument to
            // -AdditionalChildPath, which 5.1 does not have.
            if (name.Equals("Join-Path", StringComparison.OrdinalIgnoreCase)
                && !call.CommandElements.OfType<CommandParameterAst>().Any(p => session.Resolve(command, p.ParameterName)?.Name == "AdditionalChildPath")
                && session.Bind(call).BoundParameters.ContainsKey("AdditionalChildPath"))
                found.Add(new ScriptFinding("Compat51.JoinPath", line, "Join-Path takes one child path in Windows PowerShell 5.1; nest the calls or use [System.IO.Path]::Combine."));
        }
    }
}
