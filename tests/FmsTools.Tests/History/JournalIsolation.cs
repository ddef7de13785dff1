using System;
using System.IO;
using System.Runtime.CompilerServices;
using FmsTools.Engine.History;

namespace FmsTools.Tests.History
{
    /// <summary>
    /// Every policy write in the test run is journaled (the journal is on by default); this points the default journal of
    /// the test process at a temporary folder so no test writes into the user's data folder. Tests that read a journal
    /// use their own folder.
    /// </summary>
    internal static class JournalIsolation
    {
        [ModuleInitializer]
        internal static void UseTemporaryJournal()
        {
            if (Environment.GetEnvironmentVariable(ChangeJournalStore.EnvironmentVariable) != null) return;
            var folder = Path.Combine(Path.GetTempPath(), "fmstools-tests-journal", Guid.NewGuid().ToString("N"));
            Environment.SetEnvironmentVariable(ChangeJournalStore.EnvironmentVariable, folder);
        }
    }
}
