using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Benchmarks.Infrastructure;
using DiffGen.Benchmarks.Workloads;

namespace DiffGen.Benchmarks.SecondOrder
{
    /// <summary>
    /// Forward mode and Hessian-vector products (issue 8) on the gradient workloads, measured against the primal
    /// (the baseline, so <c>Ratio</c> is time ÷ primal; targets: tangent ≤ 1.5, Hessian-vector ≤ 5). The data are
    /// those of the gradient benchmark of the same workload. Black–Scholes goes through calls: the tangent calls
    /// <c>DiffMath.NormalCdfBackward</c>, the Hessian-vector product <c>DiffMath.NormalCdfHessianVector</c>.
    /// </summary>
    public abstract class SecondOrderBenchmark : ISecondOrderWorkload
    {
        protected double[] Theta = Array.Empty<double>();
        protected double[] V = Array.Empty<double>();
        protected double[] Grad = Array.Empty<double>();
        protected double[] Hv = Array.Empty<double>();

        public ReadOnlySpan<double> Parameters => Theta;

        public ReadOnlySpan<double> Direction => V;

        public double TangentValue { get; protected set; }

        public ReadOnlySpan<double> HessianVectorGradient => Grad;

        public ReadOnlySpan<double> HessianVectorProduct => Hv;

        [GlobalSetup]
        public void Setup()
        {
            Theta = CreateData();
            var random = new Random(8);
            V = new double[Theta.Length];
            for (int i = 0; i < V.Length; i++)
            {
                V[i] = 2.0 * random.NextDouble() - 1.0;
            }

            Grad = new double[Theta.Length];
            Hv = new double[Theta.Length];
        }

        /// <summary>Sets up the data and returns θ.</summary>
        protected abstract double[] CreateData();

        // The benchmarks are these non-virtual methods (BenchmarkDotNet does not look at attributes of overrides).
        [Benchmark(Baseline = true)]
        public double Primal() => RunPrimal();

        [Benchmark]
        public double Tangent() => RunTangent();

        [Benchmark]
        public double HessianVector() => RunHessianVector();

        protected abstract double RunPrimal();

        protected abstract double RunTangent();

        protected abstract double RunHessianVector();

        public abstract void Gradient(ReadOnlySpan<double> theta, Span<double> gradient);
    }

    /// <summary>
    /// A workload that also has a hand-written tangent (value and ∇f·v, written as a competent engineer would), so the
    /// generated <c>FTangent</c> can be judged against the best plain code for the same job as well as against the
    /// primal. Given to the workloads whose tangent ÷ primal is close to the 1.5 target, where the question is whether
    /// the rest is the generator's or the arithmetic's.
    /// </summary>
    public abstract class SecondOrderBenchmarkWithHandTangent : SecondOrderBenchmark
    {
        /// <summary>∇f·v from <see cref="HandWrittenTangent"/>.</summary>
        public double HandWrittenTangentValue { get; protected set; }

        [Benchmark]
        public double HandWrittenTangent() => RunHandWrittenTangent();

        protected abstract double RunHandWrittenTangent();
    }

    /// <summary>(w·x + b − y)² over the 1 024 data points of the gradient benchmark (times are per 1 024 calls).</summary>
    [MemoryDiagnoser]
    public class LeastSquaresSecondOrderBenchmarks : SecondOrderBenchmarkWithHandTangent
    {
        private double[] _xs = Array.Empty<double>();
        private double[] _ys = Array.Empty<double>();

        protected override double[] CreateData()
        {
            var data = new LeastSquaresBenchmarks();
            data.Setup();
            _xs = data.Xs.ToArray();
            _ys = data.Ys.ToArray();
            return data.Parameters.ToArray();
        }

        protected override double RunPrimal()
        {
            double w = Theta[0], b = Theta[1], value = 0;
            double[] xs = _xs, ys = _ys;
            for (int i = 0; i < xs.Length; i++)
            {
                value += LeastSquaresModel.Loss(w, b, xs[i], ys[i]);
            }

            return value;
        }

        protected override double RunTangent()
        {
            double w = Theta[0], b = Theta[1], vw = V[0], vb = V[1], value = 0, tangent = 0;
            double[] xs = _xs, ys = _ys;
            for (int i = 0; i < xs.Length; i++)
            {
                value += LeastSquaresModel.LossTangent(w, b, xs[i], ys[i], vw, vb, out double t);
                tangent += t;
            }

            TangentValue = tangent;
            return value;
        }

        /// <summary>By hand: r = w·x + b − y, ṙ = x·ẇ + ḃ, d(r²) = 2r·ṙ, inlined into the loop.</summary>
        protected override double RunHandWrittenTangent()
        {
            double w = Theta[0], b = Theta[1], vw = V[0], vb = V[1], value = 0, tangent = 0;
            double[] xs = _xs, ys = _ys;
            for (int i = 0; i < xs.Length; i++)
            {
                double x = xs[i];
                double r = w * x + b - ys[i];
                value += r * r;
                tangent += 2.0 * r * (x * vw + vb);
            }

            HandWrittenTangentValue = tangent;
            return value;
        }

        protected override double RunHessianVector()
        {
            double w = Theta[0], b = Theta[1], vw = V[0], vb = V[1], value = 0, gw = 0, gb = 0, hw = 0, hb = 0;
            double[] xs = _xs, ys = _ys;
            for (int i = 0; i < xs.Length; i++)
            {
                value += LeastSquaresModel.LossHessianVector(w, b, xs[i], ys[i], vw, vb, out double dW, out double dB, out double hvW, out double hvB);
                gw += dW;
                gb += dB;
                hw += hvW;
                hb += hvB;
            }

            Grad[0] = gw;
            Grad[1] = gb;
            Hv[0] = hw;
            Hv[1] = hb;
            return value;
        }

        public override void Gradient(ReadOnlySpan<double> theta, Span<double> gradient)
        {
            gradient.Clear();
            for (int i = 0; i < _xs.Length; i++)
            {
                LeastSquaresModel.LossGradient(theta[0], theta[1], _xs[i], _ys[i], out double dW, out double dB);
                gradient[0] += dW;
                gradient[1] += dB;
            }
        }
    }

    /// <summary>Rosenbrock at n = 10, 1 000, 100 000.</summary>
    [MemoryDiagnoser]
    public class RosenbrockSecondOrderBenchmarks : SecondOrderBenchmarkWithHandTangent
    {
        [Params(10, 1000, 100000)]
        public int N { get; set; } = 10;

        protected override double[] CreateData()
        {
            var data = new RosenbrockBenchmarks { N = N };
            data.Setup();
            return data.Parameters.ToArray();
        }

        protected override double RunPrimal() => RosenbrockModel.Rosenbrock(Theta);

        protected override double RunTangent()
        {
            double value = RosenbrockModel.RosenbrockTangent(Theta, V, out double tangent);
            TangentValue = tangent;
            return value;
        }

        /// <summary>By hand: t = xᵢ₊₁ − xᵢ², u = 1 − xᵢ, d(100t² + u²) = 200t·ṫ − 2u·v̇ᵢ with ṫ = vᵢ₊₁ − 2xᵢvᵢ.</summary>
        protected override double RunHandWrittenTangent()
        {
            ReadOnlySpan<double> x = Theta, v = V;
            double sum = 0, tangent = 0;
            for (int i = 0; i < x.Length - 1; i++)
            {
                double xi = x[i], vi = v[i];
                double t = x[i + 1] - xi * xi;
                double u = 1 - xi;
                sum += 100 * t * t + u * u;
                tangent += 200 * t * (v[i + 1] - 2 * xi * vi) - 2 * u * vi;
            }

            HandWrittenTangentValue = tangent;
            return sum;
        }

        protected override double RunHessianVector() => RosenbrockModel.RosenbrockHessianVector(Theta, V, Grad, Hv);

        public override void Gradient(ReadOnlySpan<double> theta, Span<double> gradient) => RosenbrockModel.RosenbrockGradient(theta, gradient);
    }

    /// <summary>Polynomial fit, degree 5, 10 000 points.</summary>
    [MemoryDiagnoser]
    public class PolynomialFitSecondOrderBenchmarks : SecondOrderBenchmarkWithHandTangent
    {
        private double[] _xs = Array.Empty<double>();
        private double[] _ys = Array.Empty<double>();

        protected override double[] CreateData()
        {
            var data = new PolynomialFitBenchmarks();
            data.Setup();
            _xs = data.Xs;
            _ys = data.Ys;
            return data.Parameters.ToArray();
        }

        protected override double RunPrimal() => PolynomialFitModel.Loss(Theta, _xs, _ys);

        protected override double RunTangent()
        {
            double value = PolynomialFitModel.LossTangent(Theta, _xs, _ys, V, out double tangent);
            TangentValue = tangent;
            return value;
        }

        /// <summary>By hand: Horner's rule for p and, beside it, for ṗ = Σₖ v̇ₖxᵏ; d(r²) = 2r·ṗ.</summary>
        protected override double RunHandWrittenTangent()
        {
            ReadOnlySpan<double> c = Theta, v = V, xs = _xs, ys = _ys;
            int last = c.Length - 1;
            double sum = 0, tangent = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                double x = xs[i];
                double p = c[last], pDot = v[last];
                for (int k = last - 1; k >= 0; k--)
                {
                    p = p * x + c[k];
                    pDot = pDot * x + v[k];
                }

                double r = p - ys[i];
                sum += r * r;
                tangent += 2.0 * r * pDot;
            }

            HandWrittenTangentValue = tangent / xs.Length;
            return sum / xs.Length;
        }

        protected override double RunHessianVector() => PolynomialFitModel.LossHessianVector(Theta, _xs, _ys, V, Grad, Hv);

        public override void Gradient(ReadOnlySpan<double> theta, Span<double> gradient) => PolynomialFitModel.LossGradient(theta, _xs, _ys, gradient);
    }

    /// <summary>The 2 → 16 → 1 tanh network, batch of 256.</summary>
    [MemoryDiagnoser]
    public class NetworkSecondOrderBenchmarks : SecondOrderBenchmark
    {
        private const int W1 = NetworkBenchmarks.W1, B1 = NetworkBenchmarks.B1, W2 = NetworkBenchmarks.W2, B2 = NetworkBenchmarks.B2;
        private double[] _xs = Array.Empty<double>();
        private double[] _ys = Array.Empty<double>();

        protected override double[] CreateData()
        {
            var data = new NetworkBenchmarks();
            data.Setup();
            _xs = data.Xs;
            _ys = data.Ys;
            return data.Parameters.ToArray();
        }

        protected override double RunPrimal()
        {
            ReadOnlySpan<double> t = Theta;
            return NetworkModel.Loss(t.Slice(W1, B1 - W1), t.Slice(B1, W2 - B1), t.Slice(W2, B2 - W2), t[B2], _xs, _ys);
        }

        protected override double RunTangent()
        {
            ReadOnlySpan<double> t = Theta;
            ReadOnlySpan<double> v = V;
            double value = NetworkModel.LossTangent(
                t.Slice(W1, B1 - W1), t.Slice(B1, W2 - B1), t.Slice(W2, B2 - W2), t[B2], _xs, _ys,
                v.Slice(W1, B1 - W1), v.Slice(B1, W2 - B1), v.Slice(W2, B2 - W2), v[B2], out double tangent);
            TangentValue = tangent;
            return value;
        }

        protected override double RunHessianVector()
        {
            ReadOnlySpan<double> t = Theta;
            ReadOnlySpan<double> v = V;
            Span<double> g = Grad;
            Span<double> h = Hv;
            double value = NetworkModel.LossHessianVector(
                t.Slice(W1, B1 - W1), t.Slice(B1, W2 - B1), t.Slice(W2, B2 - W2), t[B2], _xs, _ys,
                v.Slice(W1, B1 - W1), v.Slice(B1, W2 - B1), v.Slice(W2, B2 - W2), v[B2],
                g.Slice(W1, B1 - W1), g.Slice(B1, W2 - B1), g.Slice(W2, B2 - W2), out double gB2,
                h.Slice(W1, B1 - W1), h.Slice(B1, W2 - B1), h.Slice(W2, B2 - W2), out double hB2);
            g[B2] = gB2;
            h[B2] = hB2;
            return value;
        }

        public override void Gradient(ReadOnlySpan<double> theta, Span<double> gradient)
        {
            NetworkModel.LossGradient(
                theta.Slice(W1, B1 - W1), theta.Slice(B1, W2 - B1), theta.Slice(W2, B2 - W2), theta[B2], _xs, _ys,
                gradient.Slice(W1, B1 - W1), gradient.Slice(B1, W2 - B1), gradient.Slice(W2, B2 - W2), out double dB2);
            gradient[B2] = dB2;
        }
    }

    /// <summary>Softmax cross-entropy over 1 000 classes.</summary>
    [MemoryDiagnoser]
    public class SoftmaxCrossEntropySecondOrderBenchmarks : SecondOrderBenchmark
    {
        private const int Label = SoftmaxCrossEntropyBenchmarks.Label;

        protected override double[] CreateData()
        {
            var data = new SoftmaxCrossEntropyBenchmarks();
            data.Setup();
            return data.Parameters.ToArray();
        }

        protected override double RunPrimal() => SoftmaxModel.CrossEntropy(Theta, Label);

        protected override double RunTangent()
        {
            double value = SoftmaxModel.CrossEntropyTangent(Theta, Label, V, out double tangent);
            TangentValue = tangent;
            return value;
        }

        protected override double RunHessianVector() => SoftmaxModel.CrossEntropyHessianVector(Theta, Label, V, Grad, Hv);

        public override void Gradient(ReadOnlySpan<double> theta, Span<double> gradient) => SoftmaxModel.CrossEntropyGradient(theta, Label, gradient);
    }

    /// <summary>The projectile with drag, 1 000 Euler steps; θ = (speed, angle, drag).</summary>
    [MemoryDiagnoser]
    public class ProjectileSecondOrderBenchmarks : SecondOrderBenchmark
    {
        private const int Steps = ProjectileBenchmarks.Steps;
        private const double Dt = ProjectileBenchmarks.Dt, TargetX = ProjectileBenchmarks.TargetX, TargetY = ProjectileBenchmarks.TargetY;

        protected override double[] CreateData()
        {
            var data = new ProjectileBenchmarks();
            data.Setup();
            return data.Parameters.ToArray();
        }

        protected override double RunPrimal() => ProjectileModel.MissSquared(Theta[0], Theta[1], Theta[2], Dt, Steps, TargetX, TargetY);

        protected override double RunTangent()
        {
            double value = ProjectileModel.MissSquaredTangent(Theta[0], Theta[1], Theta[2], Dt, Steps, TargetX, TargetY, V[0], V[1], V[2], out double tangent);
            TangentValue = tangent;
            return value;
        }

        protected override double RunHessianVector()
        {
            double value = ProjectileModel.MissSquaredHessianVector(Theta[0], Theta[1], Theta[2], Dt, Steps, TargetX, TargetY, V[0], V[1], V[2],
                out double g0, out double g1, out double g2, out double h0, out double h1, out double h2);
            Grad[0] = g0;
            Grad[1] = g1;
            Grad[2] = g2;
            Hv[0] = h0;
            Hv[1] = h1;
            Hv[2] = h2;
            return value;
        }

        public override void Gradient(ReadOnlySpan<double> theta, Span<double> gradient)
        {
            ProjectileModel.MissSquaredGradient(theta[0], theta[1], theta[2], Dt, Steps, TargetX, TargetY, out double d0, out double d1, out double d2);
            gradient[0] = d0;
            gradient[1] = d1;
            gradient[2] = d2;
        }
    }

    /// <summary>Black–Scholes price of a call; θ = (S, K, T, r, σ), one evaluation per invocation.</summary>
    [MemoryDiagnoser]
    public class BlackScholesSecondOrderBenchmarks : SecondOrderBenchmarkWithHandTangent
    {
        protected override double[] CreateData()
        {
            var data = new BlackScholesBenchmarks();
            data.Setup();
            return data.Parameters.ToArray();
        }

        protected override double RunPrimal() => BlackScholesModel.CallPrice(Theta[0], Theta[1], Theta[2], Theta[3], Theta[4]);

        protected override double RunTangent()
        {
            double value = BlackScholesModel.CallPriceTangent(Theta[0], Theta[1], Theta[2], Theta[3], Theta[4], V[0], V[1], V[2], V[3], V[4], out double tangent);
            TangentValue = tangent;
            return value;
        }

        /// <summary>
        /// By hand: the closed-form Greeks of <see cref="BlackScholesModel.CallPriceHandGradient"/> dotted with v, so one φ
        /// beside the price's two Φ (the identity S·φ(d1) = K·e^(−rT)·φ(d2) saves the second).
        /// </summary>
        protected override double RunHandWrittenTangent()
        {
            double spot = Theta[0], strike = Theta[1], time = Theta[2], rate = Theta[3], volatility = Theta[4];
            double sqrtTime = Math.Sqrt(time);
            double volSqrtTime = volatility * sqrtTime;
            double d1 = (Math.Log(spot / strike) + (rate + 0.5 * volatility * volatility) * time) / volSqrtTime;
            double d2 = d1 - volSqrtTime;
            double discount = Math.Exp(-rate * time);
            double nd1 = DiffMath.NormalCdf(d1);
            double nd2 = DiffMath.NormalCdf(d2);
            double spotPdf = spot * DiffMath.NormalPdf(d1);
            double discountedStrikeNd2 = strike * discount * nd2;
            HandWrittenTangentValue = (nd1 * V[0]) - (discount * nd2 * V[1])
                + (((spotPdf * volatility / (2 * sqrtTime)) + (rate * discountedStrikeNd2)) * V[2])
                + (time * discountedStrikeNd2 * V[3]) + (spotPdf * sqrtTime * V[4]);
            return (spot * nd1) - discountedStrikeNd2;
        }

        protected override double RunHessianVector()
        {
            // The outputs go straight into the arrays (array elements are variables, so they can be out arguments).
            double value = BlackScholesModel.CallPriceHessianVector(Theta[0], Theta[1], Theta[2], Theta[3], Theta[4], V[0], V[1], V[2], V[3], V[4],
                out Grad[0], out Grad[1], out Grad[2], out Grad[3], out Grad[4], out Hv[0], out Hv[1], out Hv[2], out Hv[3], out Hv[4]);
            return value;
        }

        public override void Gradient(ReadOnlySpan<double> theta, Span<double> gradient)
        {
            BlackScholesModel.CallPriceGradient(theta[0], theta[1], theta[2], theta[3], theta[4], out gradient[0], out gradient[1], out gradient[2], out gradient[3], out gradient[4]);
        }
    }
}
