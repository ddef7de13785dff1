using System;
using System.IO;
using FmsTools.Engine.History;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// A change journal of the test's own, chosen the way a user chooses one: <c>$env:FMSTOOLS_JOURNAL</c>, set in the
    /// runspace (the environment is the process's), and put back on Dispose. The environment is process-wide, so only tests
    /// in the RunsAlone collection (run after the parallel ones, one at a time) may use it; every other test writes to the
    /// temporary journal the test assembly points the process at (History/JournalIsolation).
    /// </summary>
    public sealed class JournalEnvironment : IDisposable
    {
        private readonly string? _saved;

        public JournalEnvironment(PowerShellSession session)
        {
            _saved = Environment.GetEnvironmentVariable(ChangeJournalStore.EnvironmentVariable);
            Folder = Path.Combine(Path.GetTempPath(), "fmstools-journal-tests", Guid.NewGuid().ToString("N"));
            session.Set("journal", Folder);
            session.Run("$env:FMSTOOLS_JOURNAL = $journal").ShouldSucceed();
            if (Environment.GetEnvironmentVariable(ChangeJournalStore.EnvironmentVariable) != Folder)
                throw new InvalidOperationException("$env:FMSTOOLS_JOURNAL in the runspace is not the process environment.");
        }

        /// <summary>The journal folder (<c>$journal</c> in the runspace); created by the first entry written.</summary>
        public string Folder { get; }

        public void Dispose()
        {
            Environment.SetEnvironmentVariable(ChangeJournalStore.EnvironmentVariable, _saved);
            try
            {
                if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open elsewhere: the temporary folder is left behind, nothing else.
            }
        }
    }
}
