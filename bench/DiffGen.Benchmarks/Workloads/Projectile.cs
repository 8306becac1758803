using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Benchmarks.Infrastructure;

namespace DiffGen.Benchmarks.Workloads
{
    /// <summary>
    /// A projectile with quadratic drag (a = −k|v|v − g·ŷ) integrated with explicit Euler steps; the objective is the
    /// squared distance from a target after the last step, as a function of launch speed, angle and drag coefficient.
    /// </summary>
    public static partial class ProjectileModel
    {
        /// <summary>The gravitational acceleration, m/s².</summary>
        public const double Gravity = 9.81;

        /// <summary>(x_N − targetX)² + (y_N − targetY)² after <paramref name="steps"/> Euler steps of length <paramref name="dt"/>.</summary>
        [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
        public static double MissSquared(
            double speed,
            double angle,
            double drag,
            [NoDiff] double dt,
            int steps,
            [NoDiff] double targetX,
            [NoDiff] double targetY)
        {
            double x = 0;
            double y = 0;
            double vx = speed * Math.Cos(angle);
            double vy = speed * Math.Sin(angle);
            for (int i = 0; i < steps; i++)
            {
                double v = Math.Sqrt(vx * vx + vy * vy);
                double ax = -drag * v * vx;
                double ay = -Gravity - drag * v * vy;
                x += dt * vx;
                y += dt * vy;
                vx += dt * ax;
                vy += dt * ay;
            }

            double ex = x - targetX;
            double ey = y - targetY;
            return ex * ex + ey * ey;
        }

        /// <summary>The number of doubles <see cref="MissSquaredHandGradient"/> needs in its workspace per step.</summary>
        public const int WorkspacePerStep = 3;

        /// <summary>
        /// Hand-written adjoint: the forward pass stores (vx, vy, |v|) of every step in <paramref name="workspace"/>
        /// (3·steps doubles, preallocated by the caller), then one backward pass runs the adjoint recurrence. Positions
        /// enter linearly, so their adjoints stay 2(x_N − targetX), 2(y_N − targetY) throughout. Per step, with
        /// q = āx·vx + āy·vy (āx = dt·v̄x′, āy = dt·v̄y′): k̄ −= |v|·q, v̄x = v̄x′ + dt·x̄ − k(|v|·āx + q·vx/|v|), likewise v̄y.
        /// </summary>
        public static double MissSquaredHandGradient(
            double speed,
            double angle,
            double drag,
            double dt,
            int steps,
            double targetX,
            double targetY,
            Span<double> workspace,
            out double dSpeed,
            out double dAngle,
            out double dDrag)
        {
            if (workspace.Length < WorkspacePerStep * steps)
            {
                throw new ArgumentException("The workspace needs 3 doubles per step.", nameof(workspace));
            }

            double cos = Math.Cos(angle);
            double sin = Math.Sin(angle);
            double x = 0;
            double y = 0;
            double vx = speed * cos;
            double vy = speed * sin;
            for (int i = 0; i < steps; i++)
            {
                double v = Math.Sqrt(vx * vx + vy * vy);
                workspace[3 * i] = vx;
                workspace[3 * i + 1] = vy;
                workspace[3 * i + 2] = v;
                double ax = -drag * v * vx;
                double ay = -Gravity - drag * v * vy;
                x += dt * vx;
                y += dt * vy;
                vx += dt * ax;
                vy += dt * ay;
            }

            double ex = x - targetX;
            double ey = y - targetY;
            double dtBarX = dt * 2 * ex;
            double dtBarY = dt * 2 * ey;
            double barVx = 0;
            double barVy = 0;
            double barK = 0;
            for (int i = steps - 1; i >= 0; i--)
            {
                double svx = workspace[3 * i];
                double svy = workspace[3 * i + 1];
                double v = workspace[3 * i + 2];
                double barAx = dt * barVx;
                double barAy = dt * barVy;
                double q = barAx * svx + barAy * svy;
                barK -= v * q;
                double qOverV = q / v;
                barVx += dtBarX - drag * (v * barAx + qOverV * svx);
                barVy += dtBarY - drag * (v * barAy + qOverV * svy);
            }

            dSpeed = barVx * cos + barVy * sin;
            dAngle = speed * (barVy * cos - barVx * sin);
            dDrag = barK;
            return ex * ex + ey * ey;
        }
    }

    /// <summary>Benchmarks of <see cref="ProjectileModel.MissSquared"/> over 1 000 steps; θ = (speed, angle, drag).</summary>
    [MemoryDiagnoser]
    public class ProjectileBenchmarks : IGradientWorkload
    {
        public const int Steps = 1000;
        public const double Dt = 0.005;
        public const double TargetX = 150.0;
        public const double TargetY = 20.0;

        private double[] _theta = Array.Empty<double>();
        private double[] _workspace = Array.Empty<double>();
        private double[] _generated = Array.Empty<double>();
        private double[] _hand = Array.Empty<double>();
        private double[] _fd = Array.Empty<double>();

        public ReadOnlySpan<double> Parameters => _theta;

        public ReadOnlySpan<double> GeneratedGradient => _generated;

        public ReadOnlySpan<double> HandWrittenGradient => _hand;

        public ReadOnlySpan<double> FiniteDifferenceGradient => _fd;

        [GlobalSetup]
        public void Setup()
        {
            _theta = new[] { 50.0, 0.8, 0.002 };
            _workspace = new double[ProjectileModel.WorkspacePerStep * Steps];
            _generated = new double[3];
            _hand = new double[3];
            _fd = new double[3];
        }

        [Benchmark]
        public double Primal() => ProjectileModel.MissSquared(_theta[0], _theta[1], _theta[2], Dt, Steps, TargetX, TargetY);

        [Benchmark]
        public double Generated()
        {
            double value = ProjectileModel.MissSquaredGradient(
                _theta[0], _theta[1], _theta[2], Dt, Steps, TargetX, TargetY, out double dSpeed, out double dAngle, out double dDrag);
            _generated[0] = dSpeed;
            _generated[1] = dAngle;
            _generated[2] = dDrag;
            return value;
        }

        [Benchmark(Baseline = true)]
        public double HandWritten()
        {
            double value = ProjectileModel.MissSquaredHandGradient(
                _theta[0], _theta[1], _theta[2], Dt, Steps, TargetX, TargetY, _workspace, out double dSpeed, out double dAngle, out double dDrag);
            _hand[0] = dSpeed;
            _hand[1] = dAngle;
            _hand[2] = dDrag;
            return value;
        }

        [Benchmark]
        public double FiniteDifferences()
        {
            var objective = default(Objective);
            return Infrastructure.FiniteDifferences.Central(ref objective, _theta, _fd);
        }

        private readonly struct Objective : IObjective
        {
            public double Evaluate(ReadOnlySpan<double> p) => ProjectileModel.MissSquared(p[0], p[1], p[2], Dt, Steps, TargetX, TargetY);
        }
    }
}
