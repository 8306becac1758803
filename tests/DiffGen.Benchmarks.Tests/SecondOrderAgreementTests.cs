using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Benchmarks.Infrastructure;
using DiffGen.Benchmarks.SecondOrder;
using Xunit;
using Xunit.Abstractions;

namespace DiffGen.Benchmarks.Tests
{
    /// <summary>
    /// One call of the forward-mode and Hessian-vector variants of every second-order benchmark (the very objects the
    /// benchmark times): the tangent is the generated gradient dotted with the direction, the Hessian-vector call's
    /// gradient is the generated gradient, and H·v agrees with central differences of the generated gradient along v.
    /// </summary>
    public class SecondOrderAgreementTests
    {
        /// <summary>Same derivative, different evaluation order: rounding only (see <see cref="AgreementTests"/>).</summary>
        private const double ExactTolerance = 1e-9;

        private const double Epsilon = 2.220446049250313e-16;

        public static readonly IReadOnlyDictionary<string, Func<ISecondOrderWorkload>> All = new Dictionary<string, Func<ISecondOrderWorkload>>
        {
            ["LeastSquares"] = () => new LeastSquaresSecondOrderBenchmarks(),
            ["Rosenbrock/10"] = () => new RosenbrockSecondOrderBenchmarks { N = 10 },
            ["Rosenbrock/1000"] = () => new RosenbrockSecondOrderBenchmarks { N = 1000 },
            ["Rosenbrock/100000"] = () => new RosenbrockSecondOrderBenchmarks { N = 100000 },
            ["PolynomialFit"] = () => new PolynomialFitSecondOrderBenchmarks(),
            ["Network"] = () => new NetworkSecondOrderBenchmarks(),
            ["SoftmaxCrossEntropy"] = () => new SoftmaxCrossEntropySecondOrderBenchmarks(),
            ["Projectile"] = () => new ProjectileSecondOrderBenchmarks(),
            ["BlackScholes"] = () => new BlackScholesSecondOrderBenchmarks(),
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

        /// <summary>The workloads with a hand-written tangent (least squares, Rosenbrock, the polynomial fit).</summary>
        public static TheoryData<string> HandTangentNames
        {
            get
            {
                var data = new TheoryData<string>();
                foreach (var name in All.Keys.Where(n => All[n]() is SecondOrderBenchmarkWithHandTangent))
                {
                    data.Add(name);
                }

                return data;
            }
        }

        private readonly ITestOutputHelper _output;

        public SecondOrderAgreementTests(ITestOutputHelper output) => _output = output;

        private static ISecondOrderWorkload Create(string name)
        {
            var workload = All[name]();
            workload.Setup();
            return workload;
        }

        [Fact]
        public void EverySecondOrderBenchmarkClassIsCovered()
        {
            var types = typeof(Program).Assembly.GetTypes()
                .Where(t => typeof(ISecondOrderWorkload).IsAssignableFrom(t) && !t.IsAbstract)
                .OrderBy(t => t.Name)
                .ToArray();
            var covered = All.Values.Select(f => f().GetType()).Distinct().OrderBy(t => t.Name).ToArray();
            Assert.Equal(7, types.Length);
            Assert.Equal(types, covered);
        }

        [Fact]
        public void EverySecondOrderClassTimesTangentAndHessianVectorAgainstThePrimal()
        {
            foreach (var factory in All.Values)
            {
                var run = BenchmarkDotNet.Running.BenchmarkConverter.TypeToBenchmarks(factory().GetType());
                var methods = run.BenchmarksCases.Select(b => b.Descriptor.WorkloadMethod.Name).Distinct().OrderBy(m => m, StringComparer.Ordinal).ToArray();
                var expected = factory() is SecondOrderBenchmarkWithHandTangent
                    ? new[] { "HandWrittenTangent", "HessianVector", "Primal", "Tangent" }
                    : new[] { "HessianVector", "Primal", "Tangent" };
                Assert.Equal(expected, methods);
                var baselines = run.BenchmarksCases.Where(b => b.Descriptor.Baseline).Select(b => b.Descriptor.WorkloadMethod.Name).Distinct().ToArray();
                Assert.Equal(new[] { "Primal" }, baselines);
            }
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void TangentIsTheGradientDottedWithTheDirection(string name)
        {
            var workload = Create(name);
            double primal = workload.Primal();
            double value = workload.Tangent();
            Assert.True(Math.Abs(value - primal) <= 1e-12 * Math.Max(1, Math.Abs(primal)), $"{name}: FTangent value {value} vs primal {primal}");

            var gradient = new double[workload.Parameters.Length];
            workload.Gradient(workload.Parameters, gradient);
            double dot = 0, scale = 0;
            for (int i = 0; i < gradient.Length; i++)
            {
                dot += gradient[i] * workload.Direction[i];
                scale += Math.Abs(gradient[i] * workload.Direction[i]);
            }

            double error = Math.Abs(workload.TangentValue - dot);
            _output.WriteLine($"{name}: tangent {workload.TangentValue:R}, ∇f·v {dot:R}, |difference| / scale = {error / Math.Max(1, scale):E2}");
            Assert.True(error <= ExactTolerance * Math.Max(1, scale), $"{name}: tangent {workload.TangentValue} vs ∇f·v {dot}");
        }

        [Theory]
        [MemberData(nameof(HandTangentNames))]
        public void HandWrittenTangentAgreesWithTheGeneratedOne(string name)
        {
            var workload = (SecondOrderBenchmarkWithHandTangent)Create(name);

            double primal = workload.Primal();
            double value = workload.HandWrittenTangent();
            Assert.True(Math.Abs(value - primal) <= 1e-12 * Math.Max(1, Math.Abs(primal)), $"{name}: hand-written tangent's value {value} vs primal {primal}");
            workload.Tangent();
            double generated = workload.TangentValue, hand = workload.HandWrittenTangentValue;
            Assert.True(Math.Abs(generated - hand) <= ExactTolerance * Math.Max(1, Math.Abs(hand)), $"{name}: generated tangent {generated} vs hand-written {hand}");
        }

        [Fact]
        public void TheWorkloadsNearTheTangentTargetHaveAHandWrittenTangent()
        {
            // Least squares, Rosenbrock, the polynomial fit and Black–Scholes are the ones docs/benchmarks.md judges against it.
            var withHand = All.Keys.Where(n => All[n]() is SecondOrderBenchmarkWithHandTangent).OrderBy(n => n, StringComparer.Ordinal).ToArray();
            Assert.Equal(new[] { "BlackScholes", "LeastSquares", "PolynomialFit", "Rosenbrock" }, withHand.Select(n => n.Split('/')[0]).Distinct().ToArray());
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void HessianVectorCallGivesTheGeneratedGradient(string name)
        {
            var workload = Create(name);
            double primal = workload.Primal();
            double value = workload.HessianVector();
            Assert.True(Math.Abs(value - primal) <= 1e-12 * Math.Max(1, Math.Abs(primal)), $"{name}: FHessianVector value {value} vs primal {primal}");
            var gradient = new double[workload.Parameters.Length];
            workload.Gradient(workload.Parameters, gradient);
            double scale = Math.Max(1, gradient.Max(Math.Abs));
            for (int i = 0; i < gradient.Length; i++)
            {
                Assert.True(Math.Abs(workload.HessianVectorGradient[i] - gradient[i]) <= ExactTolerance * scale,
                    $"{name}: ∂f/∂θ[{i}] from FHessianVector {workload.HessianVectorGradient[i]} vs FGradient {gradient[i]}");
            }
        }

        /// <summary>
        /// H·v ≈ (∇f(θ + h·v) − ∇f(θ − h·v)) / 2h with the generated gradient, h = ε^(1/3) (|v| ≤ 1). The error is a vector
        /// error: truncation h²/6·‖∇⁴f[v, v, v]‖, which relative to ‖H·v‖ is about (h/L)²/6 for L the length over which
        /// the curvature changes (the projectile's drag, 0.002, is the smallest scale: (3e-3)²/6 ≈ 2e-6), plus rounding
        /// ε·‖∇f‖/h amplified by the ~n ulps a sum of n terms loses. Observed: 1.7e-7 of ‖H·v‖∞ on the projectile,
        /// ≤ 1e-10 on the others. Allowed: 1e-5·max(1, ‖H·v‖∞) +
        /// 1000·ε·max(1, ‖∇f‖∞)/h, compared in the ∞-norm (a small component is not held to a relative bound its
        /// neighbours' truncation error exceeds). A wrong second derivative (a missing product-rule term, a stale
        /// tangent) is of the order of ‖H·v‖ itself.
        /// </summary>
        [Theory]
        [MemberData(nameof(Names))]
        public void HessianVectorAgreesWithFiniteDifferencesOfTheGradient(string name)
        {
            var workload = Create(name);
            workload.HessianVector();
            int n = workload.Parameters.Length;
            double h = Math.Cbrt(Epsilon);
            var plus = new double[n];
            var minus = new double[n];
            var point = new double[n];
            for (int i = 0; i < n; i++)
            {
                point[i] = workload.Parameters[i] + h * workload.Direction[i];
            }

            workload.Gradient(point, plus);
            for (int i = 0; i < n; i++)
            {
                point[i] = workload.Parameters[i] - h * workload.Direction[i];
            }

            workload.Gradient(point, minus);
            double hvScale = Math.Max(1, workload.HessianVectorProduct.ToArray().Max(Math.Abs));
            double gradientScale = Math.Max(1, workload.HessianVectorGradient.ToArray().Max(Math.Abs));
            double tolerance = 1e-5 * hvScale + 1000 * Epsilon * gradientScale / h;
            double worst = 0;
            int worstIndex = 0;
            for (int i = 0; i < n; i++)
            {
                double fd = (plus[i] - minus[i]) / (2 * h);
                double error = Math.Abs(fd - workload.HessianVectorProduct[i]);
                if (error > worst)
                {
                    worst = error;
                    worstIndex = i;
                }
            }

            _output.WriteLine($"{name}: worst |fd − H·v| = {worst:E2} at {worstIndex}, tolerance {tolerance:E2} (‖H·v‖∞ = {hvScale:E2})");
            Assert.True(worst <= tolerance, $"{name}: H·v[{worstIndex}] = {workload.HessianVectorProduct[worstIndex]} vs finite differences, error {worst} > {tolerance}");
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void SecondOrderCallsAllocateNothingAndRepeatExactly(string name)
        {
            var workload = Create(name);
            workload.Tangent();
            workload.HessianVector();
            double tangent = workload.TangentValue;
            var hv = workload.HessianVectorProduct.ToArray();
            var g = workload.HessianVectorGradient.ToArray();
            var windows = SteadyStateAllocation.Windows(
                () =>
                {
                    workload.Tangent();
                    workload.HessianVector();
                },
                3);
            Assert.True(SteadyStateAllocation.AllocatesNothing(windows), $"{name}: FTangent and FHessianVector allocated in every window of 3 warm calls: {string.Join(", ", windows)} bytes");
            Assert.Equal(tangent, workload.TangentValue);
            Assert.Equal(hv, workload.HessianVectorProduct.ToArray());
            Assert.Equal(g, workload.HessianVectorGradient.ToArray());
        }
    }
}
