using System;
using System.Collections.Generic;
using DiffGen.Benchmarks.Infrastructure;
using DiffGen.Benchmarks.Workloads;
using Xunit;

namespace DiffGen.Benchmarks.Tests
{
    /// <summary>Every benchmarked workload, by name, set up exactly as BenchmarkDotNet sets it up ([Params] assigned, then [GlobalSetup]).</summary>
    public static class WorkloadCatalog
    {
        public static readonly IReadOnlyDictionary<string, Func<IGradientWorkload>> All = new Dictionary<string, Func<IGradientWorkload>>
        {
            ["LeastSquares"] = () => new LeastSquaresBenchmarks(),
            ["Rosenbrock/10"] = () => new RosenbrockBenchmarks { N = 10 },
            ["Rosenbrock/1000"] = () => new RosenbrockBenchmarks { N = 1000 },
            ["Rosenbrock/100000"] = () => new RosenbrockBenchmarks { N = 100000 },
            ["PolynomialFit"] = () => new PolynomialFitBenchmarks(),
            ["Network"] = () => new NetworkBenchmarks(),
            ["SoftmaxCrossEntropy"] = () => new SoftmaxCrossEntropyBenchmarks(),
            ["Projectile"] = () => new ProjectileBenchmarks(),
            ["BlackScholes"] = () => new BlackScholesBenchmarks(),
        };

        public static TheoryData<string> Names
        {
            get
            {
                var data = new TheoryData<string>();
                foreach (var name in All.Keys)
                {
                    data.Add(name);
                }

                return data;
            }
        }

        public static IGradientWorkload Create(string name)
        {
            var workload = All[name]();
            workload.Setup();
            return workload;
        }
    }
}
