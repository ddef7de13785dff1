using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using FmsTools.Tests.Host;
using FmsTools.Tests.Infrastructure;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// The commands scripts call, as PowerShell knows them: a runspace with FmsTools imported from this test build (its
    /// cmdlets and the Pester script module's function, <see cref="PowerShellSession"/>) and the stand-in for Pester's
    /// Should (<see cref="PesterShould"/>). Calls are bound with StaticParameterBinder against this runspace, one at a time
    /// (the binder works on the runspace's execution context, which is not shared between threads).
    /// </summary>
    public sealed class ScriptContractSession
    {
        private static readonly Lazy<ScriptContractSession> SharedSession = new Lazy<ScriptContractSession>(() => new ScriptContractSession());

        private readonly object _gate = new object();
        private readonly PowerShellSession _session;
        private readonly Dictionary<string, CommandInfo?> _builtIn = new Dictionary<string, CommandInfo?>(StringComparer.OrdinalIgnoreCase);

        private ScriptContractSession()
        {
            // Never disposed: one runspace serves every script contract test of the run.
            _session = new PowerShellSession();
            ShouldOperators = PesterShould.Pester5Operators
                .Concat(PesterShould.OperatorsOf(RepoPaths.InRepo("src", "FmsTools", "Pester", "FmsTools.Pester.psm1"))).ToList();
            _session.Run(PesterShould.StandIn(ShouldOperators)).ShouldSucceed();
            ModuleCommands = _session.Run("Get-Command -Module FmsTools").Output.Select(o => (CommandInfo)o.BaseObject)
                .ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
            Should = (CommandInfo)_session.Run("Get-Command -Name Should -CommandType Function").Output.Single().BaseObject;
        }

        public static ScriptContractSession Shared => SharedSession.Value;

        /// <summary>The module's cmdlets and functions (Get-Command -Module FmsTools).</summary>
        public IReadOnlyDictionary<string, CommandInfo> ModuleCommands { get; }

        /// <summary>The stand-in for Pester's Should.</summary>
        public CommandInfo Should { get; }

        public IReadOnlyList<ShouldOperator> ShouldOperators { get; }

        /// <summary>A command PowerShell 7 has without the module (Get-Command), or null.</summary>
        public CommandInfo? BuiltIn(string name)
        {
            lock (_gate)
            {
                if (!_builtIn.TryGetValue(name, out var info))
                {
                    info = _session.Run($"Get-Command -Name '{name.Replace("'", "''")}' -CommandType Cmdlet, Function -ErrorAction Ignore")
                        .Output.Select(o => o.BaseObject).OfType<CommandInfo>().FirstOrDefault();
                    _builtIn[name] = info;
                }
                return info;
            }
        }

        /// <summary>StaticParameterBinder.BindCommand against this runspace's commands.</summary>
        public StaticBindingResult Bind(CommandAst command)
        {
            lock (_gate)
            {
                var previous = Runspace.DefaultRunspace;
                Runspace.DefaultRunspace = _session.Runspace;
                try
                {
                    return StaticParameterBinder.BindCommand(command, resolve: true);
                }
                finally
                {
                    Runspace.DefaultRunspace = previous;
                }
            }
        }

        /// <summary>
        /// What a parameter name written after <paramref name="command"/> stands for (CommandInfo.ResolveParameter: the
        /// name, an alias or an unambiguous prefix, common parameters included), or null when it names none or several.
        /// </summary>
        public ParameterMetadata? Resolve(CommandInfo command, string written)
        {
            lock (_gate)
            {
                try
                {
                    return command.ResolveParameter(written);
                }
                catch (Exception e) when (e is ParameterBindingException || e is ArgumentException || e is InvalidOperationException)
                {
                    return null;
                }
            }
        }
    }
}
