namespace GitOrch.Bench.Scenarios;

public static class E2eScenario
{
    public static Task<BenchResult> RunAsync(string[] args) => throw new NotImplementedException();
}
