using Loupe.Benchmarks;

// build/bench.sh runs "results", "jobs", "login", "dashboards", "webhooks" and "schedules"; the results benchmark starts "results-memory-child" processes itself (P6),
// the schedules benchmark its two "schedules-worker" processes (P8).
return args switch
{
    ["results"] => await ResultBenchmarks.RunAsync(BenchSettings.FromEnvironment()),
    ["jobs"] => await JobBenchmarks.RunAsync(BenchSettings.FromEnvironment()),
    ["login"] => await LoginBenchmarks.RunAsync(BenchSettings.FromEnvironment()),
    ["dashboards"] => await DashboardBenchmarks.RunAsync(BenchSettings.FromEnvironment()),
    ["webhooks"] => await WebhookBenchmarks.RunAsync(BenchSettings.FromEnvironment()),
    ["schedules"] => await ScheduleBenchmarks.RunAsync(BenchSettings.FromEnvironment()),
    ["schedules-worker", var database] => await ScheduleBenchmarks.RunWorkerAsync(BenchSettings.FromEnvironment(), database),
    ["results-memory-child", var database, var organizationId, var dataSourceId, var rows] =>
        await ResultBenchmarks.RunMemoryChildAsync(BenchSettings.FromEnvironment(), database, Guid.Parse(organizationId), Guid.Parse(dataSourceId), int.Parse(rows, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Loupe.Benchmarks results|jobs|login|dashboards|webhooks|schedules");
    return 2;
}
