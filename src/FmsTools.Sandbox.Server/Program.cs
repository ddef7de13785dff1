using System;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;

namespace FmsTools.Sandbox.Server
{
    /// <summary>
    /// fms-sandbox: runs the FMS-compatible sandbox until Ctrl+C or SIGTERM. Prints one JSON line with the
    /// endpoint and credentials once it accepts connections, so scripts can read it.
    /// </summary>
    internal static class Program
    {
        private const string Usage = @"Usage: fms-sandbox [options]
  --port N               TCP port on 127.0.0.1 (default 4566; 0 = any free port)
  --demo                 the built-in demo organization with demo policies
  --path FILE            persist state in FILE (and FILE.journal); default: memory only
  --accounts N           member accounts to generate (without --demo; default 6)
  --resources N          resources per generated account (default 12)
  --seed N               generator seed (default 1)
  --region NAME          home region (default us-east-1)
  --request-log FILE     also append the request log to FILE as JSON lines
  --remediation-delay S  seconds of sandbox time until remediation converges (default 120)
  --freeze-clock         the sandbox clock moves only when advanced (POST /_sandbox/clock/advance)
  --no-admin             start without an associated FMS administrator (generated worlds only)
  --help                 show this help";

        private static int Main(string[] args)
        {
            SandboxOptions options;
            try
            {
                options = Parse(args, out var help);
                if (help)
                {
                    Console.WriteLine(Usage);
                    return 0;
                }
            }
            catch (ArgumentException error)
            {
                Console.Error.WriteLine("fms-sandbox: " + error.Message);
                Console.Error.WriteLine(Usage);
                return 2;
            }

            using var stop = new ManualResetEventSlim(false);
            Console.CancelKeyPress += (sender, e) =>
            {
                e.Cancel = true;
                stop.Set();
            };
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Set();
            });

            SandboxHost host;
            try
            {
                host = SandboxHost.Start(options);
            }
            catch (Exception error) when (error is System.Net.Sockets.SocketException || error is System.IO.IOException || error is System.IO.InvalidDataException)
            {
                Console.Error.WriteLine("fms-sandbox: could not start: " + error.Message);
                return 1;
            }

            using (host)
            {
                // Building a generated organization leaves its scaffolding behind (about a fifth of the heap at 10,000
                // accounts): compact once before serving, so this long-running process does not keep that space.
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                var ready = new
                {
                    endpoint = host.Endpoint,
                    region = host.Region,
                    accessKeyId = host.AccessKeyId,
                    secretAccessKey = host.SecretAccessKey,
                    managementAccessKeyId = host.ManagementAccessKeyId,
                    managementSecretAccessKey = host.ManagementSecretAccessKey,
                    adminAccountId = host.AdminAccountId,
                    managementAccountId = host.ManagementAccountId,
                    statePath = host.StatePath,
                    pid = Environment.ProcessId,
                };
                Console.Out.WriteLine(JsonSerializer.Serialize(ready));
                Console.Out.Flush();
                stop.Wait();
                Console.Error.WriteLine("fms-sandbox: stopping");
            }
            return 0;
        }

        private static SandboxOptions Parse(string[] args, out bool help)
        {
            help = false;
            var options = new SandboxOptions { Port = 4566 };
            for (var i = 0; i < args.Length; i++)
            {
                string Value()
                {
                    if (i + 1 >= args.Length) throw new ArgumentException(args[i] + " needs a value.");
                    return args[++i];
                }

                int Number()
                {
                    var name = args[i];
                    var text = Value();
                    if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 0)
                        throw new ArgumentException(name + " needs a non-negative integer, not '" + text + "'.");
                    return value;
                }

                switch (args[i])
                {
                    case "--port": options.Port = Number(); break;
                    case "--demo": options.Demo = true; break;
                    case "--path": options.Path = Value(); break;
                    case "--accounts": options.AccountCount = Number(); break;
                    case "--resources": options.ResourcesPerAccount = Number(); break;
                    case "--seed": options.Seed = Number(); break;
                    case "--region": options.Region = Value(); break;
                    case "--request-log": options.RequestLogPath = Value(); break;
                    case "--remediation-delay": options.RemediationDelay = TimeSpan.FromSeconds(Number()); break;
                    case "--freeze-clock": options.FreezeClock = true; break;
                    case "--no-admin": options.AssociateAdministrator = false; break;
                    case "--help":
                    case "-h":
                        help = true;
                        break;
                    default:
                        throw new ArgumentException("Unknown option '" + args[i] + "'.");
                }
            }
            if (options.Port > 65535) throw new ArgumentException("--port must be at most 65535.");
            return options;
        }
    }
}
