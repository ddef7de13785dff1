using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FmsTools.Sandbox;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// One connected runspace and one demo sandbox for a whole test class (IClassFixture): the sandbox's clock stands
    /// still unless a test moves it, and nothing converges in the background, so what a test sees is what it did.
    /// Tests of a class run one after another; a test that needs untouched demo state calls <see cref="Renew"/>.
    /// </summary>
    public class SandboxSessionFixture : IDisposable
    {
        public SandboxSessionFixture() : this(null) { }

        /// <param name="configure">Changes to the sandbox options (quotas, faults) over the frozen demo.</param>
        /// <param name="connect">False leaves the runspace unconnected (the test connects as it needs).</param>
        protected SandboxSessionFixture(Action<SandboxOptions>? configure, bool connect = true)
        {
            Env = new SandboxRunspace(connect: connect, options: () =>
            {
                var options = new SandboxOptions { Demo = true, FreezeClock = true, BackgroundInterval = TimeSpan.FromHours(1) };
                options.Quotas.PoliciesPerAdminAndRegion = 60;
                configure?.Invoke(options);
                return options;
            });
        }

        public SandboxRunspace Env { get; }

        public SandboxHost Sandbox => Env.Sandbox;

        public TestPSHost Host => Env.Host;

        /// <summary>Runs a script as a user would type it and returns every stream.</summary>
        public PowerShellResult Run(string script) => Env.Run(script);

        /// <summary>Runs a script that must report no error at all.</summary>
        public PowerShellResult Succeed(string script)
        {
            var result = Env.Run(script);
            try
            {
                return result.ShouldSucceed();
            }
            catch (Xunit.Sdk.XunitException e)
            {
                throw new Xunit.Sdk.XunitException($"The script `{script}` failed: {e.Message}");
            }
        }

        /// <summary>The output objects of type <typeparamref name="T"/> of a script that must succeed.</summary>
        public List<T> Read<T>(string script) => Succeed(script).OutputOf<T>().ToList();

        /// <summary>A script's output as text (items joined with '|'), failing on any error.</summary>
        public string Text(string script) => CmdletCaseRunner.Evaluate(Env, script);

        /// <summary>Sets a global variable the scripts see.</summary>
        public void Set(string name, object? value) => Env.Session.Set(name, value);

        /// <summary>A fresh demo sandbox (same options); the runspace reconnects to it.</summary>
        public void Renew() => Env.Renew();

        public long Mark => Env.Mark;

        /// <summary>Requests the sandbox answered since <paramref name="mark"/>, oldest first.</summary>
        public IReadOnlyList<RequestLogEntry> RequestsSince(long mark) => Env.RequestsSince(mark);

        public IReadOnlyList<RequestLogEntry> MutatingSince(long mark) => Env.MutatingSince(mark);

        /// <summary>How many <paramref name="operation"/> requests the sandbox answered since <paramref name="mark"/>.</summary>
        public int Calls(string operation, long mark) => RequestsSince(mark).Count(e => e.Operation == operation);

        /// <summary>An empty folder of its own under the sandbox's folder (deleted with it).</summary>
        public string NewFolder()
        {
            var path = Path.Combine(Env.Folder, Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(path);
            return path;
        }

        public void Dispose() => Env.Dispose();
    }
}
