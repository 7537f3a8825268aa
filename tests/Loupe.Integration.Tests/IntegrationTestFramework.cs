using System.Reflection;
using Loupe.Integration.Tests;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestFramework(typeof(IntegrationTestFramework))]

namespace Loupe.Integration.Tests;

/// <summary>
/// xunit as it is, except without the database that <c>build/test.sh</c> starts (a bare
/// <c>dotnet test</c>): then every test of this project is reported skipped with one message, before
/// any fixture tries to connect (ADR 0035). <c>build/test.sh</c> always sets the variables.
/// </summary>
public sealed class IntegrationTestFramework : XunitTestFramework
{
    private static readonly string[] Variables = ["LOUPE_TEST_ADMIN_CONNECTION", "LOUPE_TEST_OWNER_CONNECTION", "LOUPE_TEST_APP_CONNECTION"];

    /// <summary>Why the tests cannot run, or null when they can.</summary>
    internal static string? SkipReason
    {
        get
        {
            var missing = Variables.Where(name => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))).ToList();
            return missing.Count == 0
                ? null
                : $"integration tests skipped: {string.Join(", ", missing)} not set; run ./build/test.sh, which starts a throwaway PostgreSQL and sets them";
        }
    }

    protected override ITestFrameworkExecutor CreateExecutor(Assembly assembly) => new Executor(base.CreateExecutor(assembly));

    private sealed class Executor(ITestFrameworkExecutor xunit) : ITestFrameworkExecutor
    {
        public async ValueTask RunTestCases(
            IReadOnlyCollection<ITestCase> testCases,
            IMessageSink executionMessageSink,
            ITestFrameworkExecutionOptions executionOptions,
            CancellationToken? cancellationToken)
        {
            if (SkipReason is null || testCases.Count == 0)
            {
                await xunit.RunTestCases(testCases, executionMessageSink, executionOptions, cancellationToken);
                return;
            }

            // Once for the whole run (dotnet test shows it at normal verbosity); each skipped test carries it too.
            await Console.Error.WriteLineAsync(SkipReason);
            var xunitTestCases = testCases.Cast<IXunitTestCase>().ToList();
            await SkippingRunner.Instance.Run(
                xunitTestCases[0].TestCollection.TestAssembly, xunitTestCases, executionMessageSink, executionOptions, cancellationToken ?? CancellationToken.None);
        }
    }

    /// <summary>Reports the assembly as usual and every test case as skipped, without creating a fixture.</summary>
    private sealed class SkippingRunner : XunitTestAssemblyRunner
    {
        public static new SkippingRunner Instance { get; } = new();

        protected override ValueTask<RunSummary> RunTestCollections(XunitTestAssemblyRunnerContext ctxt, Exception? exception) =>
            new(XunitRunnerHelper.SkipTestCases(
                ctxt.MessageBus,
                ctxt.CancellationTokenSource,
                ctxt.TestCases,
                SkipReason ?? string.Empty,
                sendTestCollectionMessages: true,
                sendTestClassMessages: true,
                sendTestMethodMessages: true,
                sendTestCaseMessages: true,
                sendTestMessages: true));
    }
}
