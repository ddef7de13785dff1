using System;
using System.Linq;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// A script started in a session's runspace (BeginInvoke) whose streams a test watches while it runs. PowerShell raises
    /// DataAdded on the thread that writes, so a hook runs on the pipeline thread before the command goes on: what a hook
    /// changes (the sandbox, the fault table) is in place before the command's next step, with no sleep in between. A hook
    /// that throws is reported by <see cref="Finish"/>.
    /// </summary>
    public sealed class LiveInvocation : IDisposable
    {
        private readonly PowerShell _ps;
        private IAsyncResult? _async;
        private ExceptionDispatchInfo? _hookFailure;

        public LiveInvocation(PowerShellSession session, string script)
        {
            _ps = PowerShell.Create();
            _ps.Runspace = session.Runspace;
            _ps.AddScript("trap { break }\n" + script);
        }

        public PSDataCollection<PSObject> Output { get; } = new PSDataCollection<PSObject>();

        /// <summary>Calls <paramref name="hook"/> with the number of objects written so far and the newest one.</summary>
        public LiveInvocation OnOutput(Action<int, PSObject> hook)
        {
            Output.DataAdded += (sender, e) => Guard(() => hook(e.Index + 1, Output[e.Index]));
            return this;
        }

        /// <summary>Calls <paramref name="hook"/> with each verbose line (the script must turn verbose output on).</summary>
        public LiveInvocation OnVerbose(Action<string> hook)
        {
            _ps.Streams.Verbose.DataAdded += (sender, e) => Guard(() => hook(_ps.Streams.Verbose[e.Index].Message));
            return this;
        }

        public LiveInvocation Start()
        {
            _async = _ps.BeginInvoke<PSObject, PSObject>(null, Output);
            return this;
        }

        /// <summary>Ctrl+C: PowerShell.Stop(), which returns once the command has ended.</summary>
        public void Stop() => _ps.Stop();

        public bool IsCompleted => _async?.IsCompleted == true;

        /// <summary>Waits for the script to end (failing when it takes longer than <paramref name="within"/>) and returns every stream.</summary>
        public PowerShellResult Finish(TimeSpan within)
        {
            if (_async == null) throw new InvalidOperationException("Start() first.");
            if (!_async.AsyncWaitHandle.WaitOne(within))
            {
                _ps.Stop();
                throw new Xunit.Sdk.XunitException($"The script did not end within {within.TotalSeconds:0} s.");
            }
            RuntimeException? terminating = null;
            try
            {
                _ps.EndInvoke(_async);
            }
            catch (RuntimeException e)
            {
                terminating = e;
            }
            _hookFailure?.Throw();
            return new PowerShellResult(Output.ToList(), _ps.Streams.Error.ToList(), _ps.Streams.Warning.Select(w => w.Message).ToList(),
                _ps.Streams.Verbose.Select(v => v.Message).ToList(), _ps.Streams.Debug.Select(d => d.Message).ToList(),
                _ps.Streams.Progress.ToList(), _ps.Streams.Information.ToList(), terminating);
        }

        private void Guard(Action hook)
        {
            try
            {
                hook();
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _hookFailure, ExceptionDispatchInfo.Capture(e), null);
            }
        }

        public void Dispose()
        {
            if (_async != null && !_async.IsCompleted) _ps.Stop();
            _ps.Dispose();
            Output.Dispose();
        }
    }
}
