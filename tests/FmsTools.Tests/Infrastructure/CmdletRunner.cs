using System.Collections.Generic;
using FmsTools.Infrastructure;

namespace FmsTools.Tests.Infrastructure
{
    /// <summary>Drives a cmdlet through Begin/Process/End as the PowerShell pipeline would.</summary>
    public static class CmdletRunner
    {
        /// <summary>Runs the cmdlet once with its parameters already set.</summary>
        public static RecordingCommandHost Run(FmsCmdlet cmdlet, RecordingCommandHost? host = null)
        {
            host ??= new RecordingCommandHost();
            cmdlet.CommandHost = host;
            cmdlet.InvokeBegin();
            cmdlet.InvokeProcess();
            cmdlet.InvokeEnd();
            return host;
        }

        /// <summary>
        /// Runs the cmdlet with pipeline input: <paramref name="bind"/> sets the pipeline-bound parameter
        /// for each input before ProcessRecord, as parameter binding does.
        /// </summary>
        public static RecordingCommandHost RunPipeline<TCmdlet, TInput>(TCmdlet cmdlet, IEnumerable<TInput> inputs,
            System.Action<TCmdlet, TInput> bind, RecordingCommandHost? host = null)
            where TCmdlet : FmsCmdlet
        {
            host ??= new RecordingCommandHost();
            cmdlet.CommandHost = host;
            cmdlet.InvokeBegin();
            foreach (var input in inputs)
            {
                bind(cmdlet, input);
                cmdlet.InvokeProcess();
            }
            cmdlet.InvokeEnd();
            return host;
        }
    }
}
