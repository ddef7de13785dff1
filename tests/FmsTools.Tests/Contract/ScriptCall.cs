using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;
using System.Text.RegularExpressions;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// One call of a module command (or Should) bound by PowerShell: StaticParameterBinder.BindCommand gives its verdict
    /// on unknown, ambiguous and repeated parameters, arguments no position takes, parameters without their argument and
    /// calls no parameter set fits. The binder does not look into splats, so the call is bound as written with each
    /// @splat replaced by the keys its hashtable literal holds (-Key:$value), and a pipeline in front of it when it has
    /// one; what the binder reports is mapped back to the line it was written on. What the binder accepts but PowerShell
    /// users trip over is checked here on PowerShell's resolution of each name (CommandInfo.ResolveParameter): a prefix
    /// standing for a parameter, a variable's value where its name belongs, a switch given $true/$false after a space, a
    /// mandatory parameter nobody gives, and Should without an operator.
    /// </summary>
    internal sealed class ScriptCall
    {
        private static readonly HashSet<string> VariableNameParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "PipelineVariable",
        };

        private static readonly Regex ParameterName = new Regex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

        /// <summary>Where a piece of the bound text came from: an element of the call as written, or a key of a splat.</summary>
        private sealed record Origin(int Start, int Line, CommandElementAst? Element, string? Splat, string? Key);

        private readonly CommandAst _call;
        private readonly CommandInfo _command;
        private readonly ScriptContractSession _session;
        private readonly SplatTables _tables;
        private readonly bool _isShould;
        private readonly List<ScriptFinding> _found = new List<ScriptFinding>();
        private readonly List<Origin> _origins = new List<Origin>();
        private readonly HashSet<CommandElementAst> _explained = new HashSet<CommandElementAst>();
        private bool _hasSplat;
        private bool _hasOperator;

        private ScriptCall(CommandAst call, CommandInfo command, ScriptContractSession session, SplatTables tables)
        {
            _call = call;
            _command = command;
            _session = session;
            _tables = tables;
            _isShould = command == session.Should;
        }

        private int Line => _call.CommandElements[0].Extent.StartLineNumber;

        private bool HasPipelineInput => _call.Parent is PipelineAst pipeline && pipeline.PipelineElements.IndexOf(_call) > 0;

        public static List<ScriptFinding> Check(CommandAst call, CommandInfo command, ScriptContractSession session, SplatTables tables)
        {
            var check = new ScriptCall(call, command, session, tables);
            check.CheckWrittenParameters();
            var bound = check.BindAsWritten();
            if (bound != null)
            {
                check.ReportBinding(bound);
                if (check._isShould && !check._hasOperator && !check._hasSplat)
                    check.Add("ParameterSet.NoOperator", check.Line, "Should needs one operator, such as -Be, -BeNullOrEmpty or -BeFmsCompliant.");
                if (command is CmdletInfo && check._found.Count == 0 && !check._hasSplat && !check.HasPipelineInput)
                    check.CheckMandatory(bound);
            }
            return check._found;
        }

        private void Add(string rule, int line, string detail) => _found.Add(new ScriptFinding(rule, line, detail));

        private void CheckWrittenParameters()
        {
            var elements = _call.CommandElements;
            for (var i = 1; i < elements.Count; i++)
            {
                if (elements[i] is not CommandParameterAst written) continue;
                var line = written.Extent.StartLineNumber;
                if (written.Extent.Text[0] != '-')
                    Add("Style.UnusualDash", line, $"-{written.ParameterName} of {_command.Name} starts with a typographic dash; use '-'.");
                var parameter = _session.Resolve(_command, written.ParameterName);
                if (parameter == null) continue; // unknown or ambiguous: the binder says so
                Resolved(written.ParameterName, parameter, line, null);
                var next = written.Argument == null && i + 1 < elements.Count ? elements[i + 1] as VariableExpressionAst : null;
                if (next == null || next.Splatted) continue;
                var value = next.VariablePath.UserPath;
                if (VariableNameParameters.Contains(parameter.Name))
                    Add("Parameter.VariableName", line,
                        $"-{parameter.Name} takes a variable's name: write -{parameter.Name} {value} (or +{value} to append), not ${value}, which passes that variable's value.");
                if (parameter.SwitchParameter && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase)))
                {
                    Add("Parameter.SwitchValue", line, $"-{parameter.Name} of {_command.Name} is a switch: write -{parameter.Name}:${value}; with a space ${value} becomes a positional argument.");
                    _explained.Add(next);
                }
            }
        }

        // A name PowerShell resolved: a prefix is legal but hard to read, and a Should operator is noted.
        private void Resolved(string written, ParameterMetadata parameter, int line, string? splat)
        {
            if (!written.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase) && !parameter.Aliases.Contains(written, StringComparer.OrdinalIgnoreCase))
                Add("Style.ParameterPrefix", line, splat == null
                    ? $"-{written} of {_command.Name} abbreviates -{parameter.Name}: write the full name."
                    : $"@{splat} key '{written}' abbreviates -{parameter.Name} of {_command.Name}: write the full name.");
            if (_isShould && PesterShould.IsOperator(_command, parameter.Name)) _hasOperator = true;
        }

        /// <summary>The call as written, splats replaced by their certain keys, bound; null when it cannot be rebuilt.</summary>
        private StaticBindingResult? BindAsWritten()
        {
            var text = new StringBuilder();
            if (HasPipelineInput) text.Append("$__input | ");
            if (_call.InvocationOperator == TokenKind.Ampersand) text.Append("& ");
            else if (_call.InvocationOperator == TokenKind.Dot) text.Append(". ");
            var explicitNames = _call.CommandElements.OfType<CommandParameterAst>()
                .Select(p => _session.Resolve(_command, p.ParameterName)?.Name).Where(n => n != null).ToList();
            foreach (var element in _call.CommandElements)
            {
                if (element is VariableExpressionAst { Splatted: true } splat)
                {
                    _hasSplat = true;
                    var keys = _tables.KeysOf(splat);
                    if (keys == null) continue; // a hashtable built elsewhere: nothing to check
                    foreach (var key in keys.Value.Certain)
                    {
                        if (!ParameterName.IsMatch(key))
                        {
                            Add("Splat.UnknownParameter", splat.Extent.StartLineNumber, $"@{splat.VariablePath.UserPath} holds '{key}', which is no parameter name.");
                            continue;
                        }
                        if (text.Length > 0) text.Append(' ');
                        _origins.Add(new Origin(text.Length, splat.Extent.StartLineNumber, null, splat.VariablePath.UserPath, key));
                        text.Append('-').Append(key).Append(":$__splat");
                        var parameter = _session.Resolve(_command, key);
                        if (parameter != null) Resolved(key, parameter, splat.Extent.StartLineNumber, splat.VariablePath.UserPath);
                    }
                    foreach (var key in keys.Value.Possible) CheckPossibleKey(splat, key, explicitNames);
                    continue;
                }
                if (text.Length > 0 && text[text.Length - 1] != ' ') text.Append(' ');
                _origins.Add(new Origin(text.Length, element.Extent.StartLineNumber, element, null, null));
                text.Append(element.Extent.Text);
            }
            var rebuilt = Parser.ParseInput(text.ToString(), out _, out var errors);
            if (errors.Length > 0) return null;
            var command = (CommandAst)rebuilt.Find(a => a is CommandAst c && c.Extent.StartOffset == (HasPipelineInput ? "$__input | ".Length : 0), false)!;
            try
            {
                return _session.Bind(command);
            }
            catch (ArgumentException e)
            {
                // StaticBindingResult keys its errors by the text written: the same unknown name twice throws.
                throw new InvalidOperationException($"StaticParameterBinder could not report on '{text}': {e.Message}", e);
            }
        }

        // A key that may be in the table (added later, or one of several literals): its name is checked, not its set.
        private void CheckPossibleKey(VariableExpressionAst splat, string key, List<string?> explicitNames)
        {
            var name = splat.VariablePath.UserPath;
            var parameter = _session.Resolve(_command, key);
            if (parameter == null)
            {
                Add("Splat.UnknownParameter", splat.Extent.StartLineNumber, $"@{name} may hold '{key}', which names no parameter of {_command.Name} (or several).");
                return;
            }
            Resolved(key, parameter, splat.Extent.StartLineNumber, name);
            if (explicitNames.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                Add("Parameter.Duplicate", splat.Extent.StartLineNumber, $"-{parameter.Name} of {_command.Name} is given and also splatted by @{name}.");
        }

        private Origin? OriginOf(CommandElementAst element)
            => _origins.LastOrDefault(o => o.Start <= element.Extent.StartOffset);

        private void ReportBinding(StaticBindingResult bound)
        {
            foreach (var error in bound.BindingExceptions.Values)
            {
                var origin = OriginOf(error.CommandElement);
                var line = origin?.Line ?? Line;
                var written = (error.CommandElement as CommandParameterAst)?.ParameterName ?? error.CommandElement.Extent.Text;
                var fromSplat = origin?.Splat != null;
                switch (error.BindingException.ErrorId)
                {
                    case "NamedParameterNotFound":
                        if (fromSplat) Add("Splat.UnknownParameter", line, $"@{origin!.Splat} holds '{written}', which {_command.Name} has no parameter for.");
                        else Add("Parameter.Unknown", line, $"{_command.Name} has no parameter -{written}{ShouldProcessHint(written)}.");
                        break;
                    case "AmbiguousParameter":
                        Add(fromSplat ? "Splat.UnknownParameter" : "Parameter.Ambiguous", line, error.BindingException.Message);
                        break;
                    case "ParameterAlreadyBound":
                        Add("Parameter.Duplicate", line, fromSplat
                            ? $"-{written} of {_command.Name} is given and also splatted by @{origin!.Splat}."
                            : $"-{written} of {_command.Name} is given more than once.");
                        break;
                    case "AmbiguousParameterSet":
                        // Without an operator, Should's sets cannot be told apart: NoOperator says so. A set that holds
                        // every parameter given may still be chosen at run time by the type of what is piped in.
                        if ((!_isShould || _hasOperator) && !(HasPipelineInput && SomeSetHoldsEveryGivenParameter()))
                            Add("ParameterSet.Conflict", Line, $"{_command.Name}: {error.BindingException.Message} (parameters given: "
                                + string.Join(", ", _origins.Select(o => o.Element is CommandParameterAst p ? "-" + p.ParameterName : o.Key != null ? "-" + o.Key : null)
                                    .Where(n => n != null)) + ").");
                        break;
                    case "PositionalParameterNotFound":
                        if (origin?.Element == null || !_explained.Contains(origin.Element))
                            Add("Parameter.Positional", line, $"{_command.Name} has no position left for the argument {written}.");
                        break;
                    case "MissingArgument":
                        Add("Parameter.MissingArgument", line, error.BindingException.Message);
                        break;
                    default:
                        throw new InvalidOperationException($"StaticParameterBinder reported {error.BindingException.ErrorId}, which the script contract has no rule for: {error.BindingException.Message}");
                }
            }
        }

        private bool SomeSetHoldsEveryGivenParameter()
        {
            var given = _origins.Select(o => o.Element is CommandParameterAst p ? p.ParameterName : o.Key).Where(n => n != null)
                .Select(n => _session.Resolve(_command, n!)).ToList();
            return given.All(p => p != null)
                   && _command.ParameterSets.Any(s => given.All(p => s.Parameters.Any(x => x.Name.Equals(p!.Name, StringComparison.OrdinalIgnoreCase))));
        }

        private string ShouldProcessHint(string written)
            => (written.Equals("WhatIf", StringComparison.OrdinalIgnoreCase) || written.Equals("Confirm", StringComparison.OrdinalIgnoreCase))
               && !new CommandMetadata(_command).SupportsShouldProcess
                ? $" ({_command.Name} does not support ShouldProcess)" : "";

        /// <summary>
        /// A call with no pipeline input and no splat must satisfy some parameter set's mandatory parameters with what it
        /// binds (by name or position); otherwise PowerShell prompts, and under -NonInteractive (CI) fails.
        /// </summary>
        private void CheckMandatory(StaticBindingResult bound)
        {
            var names = new HashSet<string>(bound.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
            var candidates = _command.ParameterSets.Where(s => names.All(n => s.Parameters.Any(p => p.Name.Equals(n, StringComparison.OrdinalIgnoreCase)))).ToList();
            if (candidates.Count == 0) return; // no set fits at all: the binder reported it
            var missingBySet = candidates
                .Select(s => (Set: s, Missing: s.Parameters.Where(p => p.IsMandatory && !names.Contains(p.Name)).Select(p => "-" + p.Name).ToList()))
                .ToList();
            if (missingBySet.Any(m => m.Missing.Count == 0)) return;
            Add("ParameterSet.MissingMandatory", Line, $"{_command.Name} is called without a mandatory parameter: "
                + string.Join("; or ", missingBySet.Select(m => (candidates.Count > 1 ? m.Set.Name + " needs " : "") + string.Join(", ", m.Missing))) + ".");
        }
    }
}
