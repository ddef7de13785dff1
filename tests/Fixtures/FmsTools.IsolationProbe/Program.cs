using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace FmsTools.IsolationProbe
{
    /// <summary>
    /// isolation-probe --module DIR --other-sdk FILE --order other-first|module-first|no-loader
    /// Prints key=value lines. --module is a laid-out module folder (FmsTools.Loader.dll + Dependencies/);
    /// the loader puts FmsTools, FmsTools.Engine and FmsTools.Sandbox in the default context and FmsTools.Aws with AWSSDK.*
    /// in its private one;
    /// --other-sdk is an AWSSDK.Core of another version, loaded into the default context as AWS.Tools would.
    /// no-loader loads the other AWSSDK.Core, then Dependencies/FmsTools.dll straight into the default context (no isolation): the
    /// control that shows the conflict the loader prevents.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var module = Arg(args, "--module");
            var otherSdkPath = Arg(args, "--other-sdk");
            var order = Arg(args, "--order");
            var dependencies = Path.Combine(module, "Dependencies");
            Assembly? otherSdk = null;

            if (order == "other-first" || order == "no-loader") otherSdk = AssemblyLoadContext.Default.LoadFromAssemblyPath(otherSdkPath);

            Assembly fmsTools;
            if (order == "no-loader")
            {
                fmsTools = Assembly.LoadFrom(Path.Combine(dependencies, "FmsTools.dll"));
            }
            else
            {
                // What FmsTools.psm1 does: load FmsTools.Loader.dll into the default context, then LoadModule(Dependencies).
                var loader = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(module, "FmsTools.Loader.dll"));
                var context = loader.GetType("FmsTools.Loader.FmsModuleLoadContext", throwOnError: true)!;
                fmsTools = (Assembly)context.GetMethod("LoadModule")!.Invoke(null, new object[] { dependencies })!;
            }
            Report("module.context", AssemblyLoadContext.GetLoadContext(fmsTools)?.Name ?? "");
            Report("module.location", fmsTools.Location);
            Report("module.cmdlets", fmsTools.GetTypes().Count(t => t.GetCustomAttributesData().Any(a => a.AttributeType.Name == "CmdletAttribute")).ToString());

            try
            {
                // What FmsTools.dll binds to, found the way the runtime finds it: through its references.
                var engine = Referenced(fmsTools, "FmsTools.Engine");
                Report("engine.context", AssemblyLoadContext.GetLoadContext(engine)?.Name ?? "");
                Report("engine.location", engine.Location);
                var aws = Referenced(engine, "FmsTools.Aws");
                Report("aws.context", AssemblyLoadContext.GetLoadContext(aws)?.Name ?? "");
                Report("aws.location", aws.Location);
                // Type names as a script writes them resolve in the default context (PowerShell looks nowhere else).
                Report("default.policy.type", (Type.GetType("FmsTools.Engine.Policies.FmsPolicy, FmsTools.Engine") != null).ToString());

                var credentialObject = aws.GetType("FmsTools.Aws.AwsCredentialObject", throwOnError: true)!;
                var sdk = credentialObject.GetProperty("Credentials", BindingFlags.NonPublic | BindingFlags.Instance)!.PropertyType.Assembly;
                Report("module.sdk.version", sdk.GetName().Version?.ToString() ?? "");
                Report("module.sdk.location", sdk.Location);
                Report("module.sdk.context", AssemblyLoadContext.GetLoadContext(sdk)?.Name ?? "");

                if (order == "module-first") otherSdk = AssemblyLoadContext.Default.LoadFromAssemblyPath(otherSdkPath);
                var defaultSdk = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("AWSSDK.Core"));
                Report("default.sdk.version", defaultSdk.GetName().Version?.ToString() ?? "");
                Report("default.engine.same", ReferenceEquals(AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("FmsTools.Engine")), engine).ToString());

                // AWS.Tools hands FmsTools credential objects of its own AWSSDK.Core ($StoredAWSCredentials, -Credential).
                var basic = otherSdk!.GetType("Amazon.Runtime.BasicAWSCredentials", throwOnError: true)!;
                var credentials = Activator.CreateInstance(basic, "AKIDPROBEEXAMPLE", "probe-secret-not-printed")!;
                var wrapped = credentialObject.GetMethod("From")!.Invoke(null, new[] { credentials })!;
                var adapted = credentialObject.GetProperty("Credentials", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(wrapped)!;
                var immutable = adapted.GetType().GetMethod("GetCredentials", Type.EmptyTypes)!.Invoke(adapted, null)!;
                Report("interop.accesskey", (string)immutable.GetType().GetProperty("AccessKey")!.GetValue(immutable)!);
                Report("interop.sdk.version", immutable.GetType().Assembly.GetName().Version?.ToString() ?? "");
            }
            catch (Exception e)
            {
                while (e is TargetInvocationException && e.InnerException != null) e = e.InnerException;
                Report("error", e.GetType().Name + ": " + e.Message.Replace('\n', ' '));
            }
            return 0;
        }

        private static void Report(string key, string value) => Console.WriteLine(key + "=" + value);

        // The assembly the runtime binds for one of <paramref name="from"/>'s references, in <paramref name="from"/>'s context.
        private static Assembly Referenced(Assembly from, string name)
            => AssemblyLoadContext.GetLoadContext(from)!.LoadFromAssemblyName(from.GetReferencedAssemblies().Single(a => a.Name == name));

        private static string Arg(string[] args, string name)
        {
            var i = Array.IndexOf(args, name);
            if (i < 0 || i + 1 >= args.Length) throw new ArgumentException("missing " + name);
            return args[i + 1];
        }
    }
}
