using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FmsTools.Tests.Aws;
using FmsTools.Tests.Sandbox;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace FmsTools.Tests.Infrastructure
{
    /// <summary>Something outside the repository a test needs; each has its own FMSTOOLS_REQUIRE_* variable.</summary>
    public enum Prerequisite
    {
        /// <summary>python3 with botocore and its data directory (FMSTOOLS_REQUIRE_CONFORMANCE).</summary>
        Botocore,

        /// <summary>python3 with moto[server], boto3 and flask (FMSTOOLS_REQUIRE_MOTO).</summary>
        Moto,

        /// <summary>The external tools named with the attribute: "aws", "python3", "boto3" (FMSTOOLS_REQUIRE_CONFORMANCE).</summary>
        Tools,

        /// <summary>The laid-out module FMSTOOLS_LAYOUT_DIR points at (FMSTOOLS_REQUIRE_LAYOUT).</summary>
        ModuleLayout,

        /// <summary>Headless Chromium at <see cref="Prerequisites.Chromium"/> (FMSTOOLS_REQUIRE_BROWSER).</summary>
        Chromium,
    }

    /// <summary>What to do with a test whose prerequisite may be missing.</summary>
    public sealed class PrerequisiteVerdict
    {
        private PrerequisiteVerdict(string? skipReason, string? failure)
        {
            SkipReason = skipReason;
            Failure = failure;
        }

        public static readonly PrerequisiteVerdict Run = new PrerequisiteVerdict(null, null);

        /// <summary>Why the test is skipped (a developer machine without the tool); null when it is not.</summary>
        public string? SkipReason { get; }

        /// <summary>Why the test fails without running (CI requires the tool and it is missing); null when it does not.</summary>
        public string? Failure { get; }

        internal static PrerequisiteVerdict Skip(string reason) => new PrerequisiteVerdict(reason, null);

        internal static PrerequisiteVerdict Fail(string reason) => new PrerequisiteVerdict(null, reason);
    }

    /// <summary>
    /// The one rule for tests that need an outside tool: a missing prerequisite skips the test with the reason, unless
    /// its FMSTOOLS_REQUIRE_* variable is "1" (.ci/run sets them all), in which case the test fails.
    /// </summary>
    public static class Prerequisites
    {
        public const string Chromium = "/usr/bin/chromium";

        public static string RequireVariable(Prerequisite prerequisite) => prerequisite switch
        {
            Prerequisite.Botocore => "FMSTOOLS_REQUIRE_CONFORMANCE",
            Prerequisite.Tools => "FMSTOOLS_REQUIRE_CONFORMANCE",
            Prerequisite.Moto => "FMSTOOLS_REQUIRE_MOTO",
            Prerequisite.ModuleLayout => "FMSTOOLS_REQUIRE_LAYOUT",
            Prerequisite.Chromium => "FMSTOOLS_REQUIRE_BROWSER",
            _ => throw new ArgumentOutOfRangeException(nameof(prerequisite), prerequisite, null),
        };

        /// <summary>What is missing on this machine, or null when the prerequisite is there.</summary>
        public static string? Problem(Prerequisite prerequisite, IReadOnlyCollection<string> tools)
        {
            switch (prerequisite)
            {
                case Prerequisite.Botocore:
                    return PythonTooling.BotocorePath == null ? PythonTooling.BotocoreProblem : null;
                case Prerequisite.Moto:
                    return PythonTooling.MotoProblem.Length > 0 ? PythonTooling.MotoProblem : null;
                case Prerequisite.Tools:
                    var missing = tools.Where(t => !ExternalTools.IsAvailable(t)).ToList();
                    return missing.Count > 0 ? "Needs " + string.Join(", ", missing) : null;
                case Prerequisite.ModuleLayout:
                    return string.IsNullOrEmpty(Environment.GetEnvironmentVariable("FMSTOOLS_LAYOUT_DIR"))
                        ? "FMSTOOLS_LAYOUT_DIR is not set: run ./build.ps1 -Task Build (or .ci/run) to lay out the module first"
                        : null;
                case Prerequisite.Chromium:
                    return File.Exists(Chromium) ? null : Chromium + " is not installed (apt-get install chromium)";
                default:
                    throw new ArgumentOutOfRangeException(nameof(prerequisite), prerequisite, null);
            }
        }

        /// <summary>The verdict for a prerequisite on this machine and in this environment.</summary>
        public static PrerequisiteVerdict Check(Prerequisite prerequisite, IReadOnlyCollection<string> tools)
        {
            var variable = RequireVariable(prerequisite);
            return Decide(Problem(prerequisite, tools), variable, Environment.GetEnvironmentVariable(variable));
        }

        /// <summary>The rule itself: run when nothing is missing, fail when <paramref name="requireVariable"/> is "1", skip otherwise.</summary>
        public static PrerequisiteVerdict Decide(string? problem, string requireVariable, string? requireValue)
        {
            if (problem == null) return PrerequisiteVerdict.Run;
            return requireValue == "1"
                ? PrerequisiteVerdict.Fail($"{requireVariable}=1 requires this test to run, but: {problem}")
                : PrerequisiteVerdict.Skip($"{problem} (set {requireVariable}=1 to fail instead of skipping)");
        }
    }

    /// <summary>
    /// A fact that needs <see cref="Prerequisite"/>: skipped with the reason when it is missing, reported as a failure
    /// (without running) when its FMSTOOLS_REQUIRE_* variable is "1".
    /// </summary>
    [XunitTestCaseDiscoverer("FmsTools.Tests.Infrastructure.RequiresFactDiscoverer", "FmsTools.Tests")]
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class RequiresFactAttribute : FactAttribute
    {
        /// <param name="prerequisite">What the test needs.</param>
        /// <param name="tools">With <see cref="Prerequisite.Tools"/>: the tools ("aws", "python3", "boto3").</param>
        public RequiresFactAttribute(Prerequisite prerequisite, params string[] tools)
        {
            var verdict = Prerequisites.Check(prerequisite, tools);
            if (verdict.SkipReason != null) Skip = verdict.SkipReason;
            Failure = verdict.Failure;
        }

        /// <summary>Set when the test must fail because a required prerequisite is missing; read by the discoverer.</summary>
        public string? Failure { get; }
    }

    /// <summary>The theory form of <see cref="RequiresFactAttribute"/>.</summary>
    [XunitTestCaseDiscoverer("FmsTools.Tests.Infrastructure.RequiresTheoryDiscoverer", "FmsTools.Tests")]
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class RequiresTheoryAttribute : TheoryAttribute
    {
        public RequiresTheoryAttribute(Prerequisite prerequisite, params string[] tools)
        {
            var verdict = Prerequisites.Check(prerequisite, tools);
            if (verdict.SkipReason != null) Skip = verdict.SkipReason;
            Failure = verdict.Failure;
        }

        public string? Failure { get; }
    }

    /// <summary>Discovers a <see cref="RequiresFactAttribute"/> test: one failing test case when its Failure is set, else a plain fact.</summary>
    public sealed class RequiresFactDiscoverer : IXunitTestCaseDiscoverer
    {
        private readonly IMessageSink _sink;
        private readonly FactDiscoverer _inner;

        public RequiresFactDiscoverer(IMessageSink diagnosticMessageSink)
        {
            _sink = diagnosticMessageSink;
            _inner = new FactDiscoverer(diagnosticMessageSink);
        }

        public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
            => RequiredButMissing.Discover(_sink, discoveryOptions, testMethod, factAttribute) ?? _inner.Discover(discoveryOptions, testMethod, factAttribute);
    }

    /// <summary>Discovers a <see cref="RequiresTheoryAttribute"/> test: one failing test case when its Failure is set, else a plain theory.</summary>
    public sealed class RequiresTheoryDiscoverer : IXunitTestCaseDiscoverer
    {
        private readonly IMessageSink _sink;
        private readonly TheoryDiscoverer _inner;

        public RequiresTheoryDiscoverer(IMessageSink diagnosticMessageSink)
        {
            _sink = diagnosticMessageSink;
            _inner = new TheoryDiscoverer(diagnosticMessageSink);
        }

        public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
            => RequiredButMissing.Discover(_sink, discoveryOptions, testMethod, factAttribute) ?? _inner.Discover(discoveryOptions, testMethod, factAttribute);
    }

    internal static class RequiredButMissing
    {
        /// <summary>A single test case that fails with the attribute's Failure, or null when there is none.</summary>
        public static IEnumerable<IXunitTestCase>? Discover(IMessageSink sink, ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod,
            IAttributeInfo factAttribute)
        {
            var failure = factAttribute.GetNamedArgument<string?>("Failure");
            if (failure == null) return null;
            return new IXunitTestCase[]
            {
                new ExecutionErrorTestCase(sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, failure),
            };
        }
    }
}
