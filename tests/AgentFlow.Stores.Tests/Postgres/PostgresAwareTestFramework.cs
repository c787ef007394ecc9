using AgentFlow.Stores.Tests.Postgres;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("AgentFlow.Stores.Tests.Postgres.PostgresAwareTestFramework", "AgentFlow.Stores.Tests")]

namespace AgentFlow.Stores.Tests.Postgres;

/// <summary>
/// xunit's own framework, except that tests of a <see cref="RequiresPostgresAttribute"/> class are reported skipped
/// when no server is configured. This lets the shared contract suite (plain <c>[Fact]</c>s) run against PostgreSQL
/// only where a server exists, which xunit 2 cannot decide per subclass by itself.
/// </summary>
public sealed class PostgresAwareTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (PostgresTestServer.SkipReason is { } reason
                && testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any()
                && testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                var skipped = new SkippedTestCase(
                    DiagnosticMessageSink,
                    discoveryOptions.MethodDisplayOrDefault(),
                    discoveryOptions.MethodDisplayOptionsOrDefault(),
                    testMethod,
                    reason);
                return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
            }

            return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
        }
    }
}
