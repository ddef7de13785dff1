using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace FmsTools.Tests.Infrastructure
{
    /// <summary>The skip-or-require rule of <see cref="RequiresFactAttribute"/>: skip on a developer machine, fail in CI.</summary>
    public sealed class PrerequisiteTests
    {
        private const string Variable = "FMSTOOLS_REQUIRE_EXAMPLE";

        [Fact]
        public void A_present_prerequisite_runs_the_test_whatever_the_variable_says()
        {
            foreach (var value in new[] { null, "", "0", "1" })
            {
                var verdict = Prerequisites.Decide(null, Variable, value);
                Assert.Null(verdict.SkipReason);
                Assert.Null(verdict.Failure);
            }
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("0")]
        [InlineData("true")]
        public void A_missing_prerequisite_skips_with_the_reason_unless_required(string? value)
        {
            var verdict = Prerequisites.Decide("tool X is not installed", Variable, value);
            Assert.Null(verdict.Failure);
            Assert.Equal("tool X is not installed (set FMSTOOLS_REQUIRE_EXAMPLE=1 to fail instead of skipping)", verdict.SkipReason);
        }

        [Fact]
        public void A_missing_prerequisite_fails_when_its_variable_requires_it()
        {
            var verdict = Prerequisites.Decide("tool X is not installed", Variable, "1");
            Assert.Null(verdict.SkipReason);
            Assert.Equal("FMSTOOLS_REQUIRE_EXAMPLE=1 requires this test to run, but: tool X is not installed", verdict.Failure);
        }

        [Theory]
        [InlineData(Prerequisite.Botocore, "FMSTOOLS_REQUIRE_CONFORMANCE")]
        [InlineData(Prerequisite.Tools, "FMSTOOLS_REQUIRE_CONFORMANCE")]
        [InlineData(Prerequisite.Moto, "FMSTOOLS_REQUIRE_MOTO")]
        [InlineData(Prerequisite.ModuleLayout, "FMSTOOLS_REQUIRE_LAYOUT")]
        [InlineData(Prerequisite.Chromium, "FMSTOOLS_REQUIRE_BROWSER")]
        public void Each_prerequisite_is_required_by_the_variable_ci_sets(Prerequisite prerequisite, string variable)
        {
            Assert.Equal(variable, Prerequisites.RequireVariable(prerequisite));
            var ciScript = System.IO.File.ReadAllText(System.IO.Path.Combine(RepoPaths.Root, ".ci", "run"));
            Assert.Contains(variable + "=1", ciScript);
        }

        [Fact]
        public async Task A_required_but_missing_prerequisite_is_discovered_as_one_failing_test()
        {
            var sink = new NullMessageSink();
            var method = TestMethodOf(nameof(A_present_prerequisite_runs_the_test_whatever_the_variable_says));
            var attribute = new FakeAttributeInfo(failure: "FMSTOOLS_REQUIRE_EXAMPLE=1 requires this test to run, but: gone");

            foreach (var discoverer in new IXunitTestCaseDiscoverer[] { new RequiresFactDiscoverer(sink), new RequiresTheoryDiscoverer(sink) })
            {
                var testCase = Assert.IsType<ExecutionErrorTestCase>(Assert.Single(discoverer.Discover(new DiscoveryOptions(), method, attribute)));
                var bus = new RecordingMessageBus();
                var summary = await testCase.RunAsync(sink, bus, new object[0], new ExceptionAggregator(), new CancellationTokenSource());
                Assert.Equal(1, summary.Total);
                Assert.Equal(1, summary.Failed);
                var failed = Assert.Single(bus.Messages.OfType<ITestFailed>());
                Assert.Contains("FMSTOOLS_REQUIRE_EXAMPLE=1 requires this test to run, but: gone", failed.Messages);
            }
        }

        [Fact]
        public void Without_a_failure_the_discoverers_make_an_ordinary_fact_or_theory()
        {
            var sink = new NullMessageSink();
            var attribute = new FakeAttributeInfo(failure: null);

            var factMethod = TestMethodOf(nameof(A_present_prerequisite_runs_the_test_whatever_the_variable_says));
            var fact = Assert.Single(new RequiresFactDiscoverer(sink).Discover(new DiscoveryOptions(), factMethod, attribute));
            Assert.IsType<XunitTestCase>(fact);
            // A theory with four InlineData rows: one ordinary test case per row.
            var theoryMethod = TestMethodOf(nameof(A_missing_prerequisite_skips_with_the_reason_unless_required));
            var rows = new RequiresTheoryDiscoverer(sink).Discover(new DiscoveryOptions(), theoryMethod, attribute).ToList();
            Assert.Equal(4, rows.Count);
            Assert.All(rows, row => Assert.IsType<XunitTestCase>(row));
        }

        private static ITestMethod TestMethodOf(string name)
        {
            var type = typeof(PrerequisiteTests);
            var assembly = new TestAssembly(Reflector.Wrap(type.Assembly));
            var testClass = new TestClass(new TestCollection(assembly, null, "prerequisites"), Reflector.Wrap(type));
            return new TestMethod(testClass, Reflector.Wrap(type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance)!));
        }

        private sealed class DiscoveryOptions : LongLivedMarshalByRefObject, ITestFrameworkDiscoveryOptions
        {
            private readonly Dictionary<string, object?> _values = new Dictionary<string, object?>();

            public TValue GetValue<TValue>(string name) => _values.TryGetValue(name, out var value) && value is TValue typed ? typed : default!;

            public void SetValue<TValue>(string name, TValue value) => _values[name] = value;
        }

        /// <summary>The attribute as the discoverer sees it, with Failure chosen by the test instead of by this machine.</summary>
        private sealed class FakeAttributeInfo : LongLivedMarshalByRefObject, IAttributeInfo
        {
            private readonly string? _failure;

            public FakeAttributeInfo(string? failure) { _failure = failure; }

            public IEnumerable<object> GetConstructorArguments() => new object[0];

            public IEnumerable<IAttributeInfo> GetCustomAttributes(string assemblyQualifiedAttributeTypeName) => new IAttributeInfo[0];

            public TValue GetNamedArgument<TValue>(string argumentName)
                => argumentName == "Failure" ? (TValue)(object?)_failure! : default!;
        }

        private sealed class RecordingMessageBus : LongLivedMarshalByRefObject, IMessageBus
        {
            public readonly List<IMessageSinkMessage> Messages = new List<IMessageSinkMessage>();

            public bool QueueMessage(IMessageSinkMessage message)
            {
                lock (Messages) Messages.Add(message);
                return true;
            }

            public void Dispose() { }
        }
    }
}
