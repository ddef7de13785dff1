namespace FmsTools.Tests.Host
{
    /// <summary>
    /// One invocation of one cmdlet in one parameter set, run in a real runspace connected to a fresh demo sandbox
    /// (<see cref="SandboxRunspace"/>). Every script is PowerShell as a user would type it; inputs are real objects
    /// (<see cref="Arrange"/> builds them with the module's own cmdlets). What a mutating case changes is read back with
    /// <see cref="Probe"/>: before and after the real run, and unchanged after -WhatIf or a declined prompt.
    /// </summary>
    public sealed class CmdletCase
    {
        public CmdletCase(string cmdlet, string parameterSet, string act)
        {
            Cmdlet = cmdlet;
            ParameterSet = parameterSet;
            Act = act;
        }

        public string Cmdlet { get; }

        /// <summary>The parameter set the invocation binds to (checked against PowerShell's own binding).</summary>
        public string ParameterSet { get; }

        /// <summary>One pipeline that ends with the cmdlet, without -Confirm, -Force or -WhatIf (the tests add those).</summary>
        public string Act { get; }

        /// <summary>Statements run first (variables they set are seen by every other script).</summary>
        public string? Arrange { get; init; }

        /// <summary>
        /// A script that reads the state the cmdlet changes; its output (as text) is compared before and after. It may read
        /// <c>$out</c>, the output of the last run (an empty array before the first).
        /// </summary>
        public string? Probe { get; init; }

        /// <summary>The probe's output after the real run, as text (items joined with '|').</summary>
        public string? ProbeAfter { get; init; }

        /// <summary>A script computing <see cref="ProbeAfter"/> (after the real run) instead of a literal.</summary>
        public string? ProbeAfterOf { get; init; }

        /// <summary>A script over the real run's output (<c>$out</c>) or its error (<c>$err</c>).</summary>
        public string? Verify { get; init; }

        /// <summary>The expected output of <see cref="Verify"/>, as text.</summary>
        public string? Expect { get; init; }

        /// <summary>A script computing the expected output of <see cref="Verify"/> (after the real run) instead of a literal.</summary>
        public string? ExpectOf { get; init; }

        /// <summary>The real run must end with an error whose FullyQualifiedErrorId starts with this (then <c>$err</c> is it).</summary>
        public string? ExpectErrorId { get; init; }

        /// <summary>Connect as the organization's management account (administrator management).</summary>
        public bool Management { get; init; }

        /// <summary>Leave the session unconnected (Connect-Fms cases).</summary>
        public bool Unconnected { get; init; }

        /// <summary>
        /// The case starts, stops or selects sandboxes of the process (Start-FmsSandbox, Stop-FmsSandbox, Connect-Fms
        /// -Sandbox): it runs in the RunsAlone collection so that no other test's sandbox is the latest or is stopped.
        /// </summary>
        public bool ProcessWide { get; init; }

        /// <summary>Statements run at the end whatever happened (e.g. stopping a sandbox the case started).</summary>
        public string? Cleanup { get; init; }

        public string Key => Cmdlet + " [" + ParameterSet + "]";

        public override string ToString() => Key;
    }
}
