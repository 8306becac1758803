using System;

namespace DiffGen
{
    /// <summary>
    /// Compares analytic gradients with central finite differences, like PyTorch's <c>gradcheck</c> or JAX's
    /// <c>check_grads</c>. Meant for unit tests: <c>GradientCheck.Assert(Model.Loss, Model.LossGradient, [1.0, 2.0]);</c>
    /// </summary>
    /// <remarks>
    /// Component i is estimated as <c>(f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / ((xᵢ + hᵢ) − (xᵢ − hᵢ))</c> with
    /// <c>hᵢ = step · max(1, |xᵢ|)</c>; dividing by the difference of the perturbed coordinates as actually rounded, rather
    /// than by <c>2hᵢ</c>, removes the error of representing <c>xᵢ ± hᵢ</c>. With the default step the estimate is
    /// typically good to 1e-8…1e-10 relative for smooth functions, so the default tolerances (abs 1e-6, rel 1e-5) leave room
    /// for rounding but catch real mistakes. Near a kink (|xᵢ| ≲ hᵢ from it) finite differences are meaningless; check
    /// away from kinks. These methods allocate freely: they are test utilities, not training code.
    /// </remarks>
    public static class GradientCheck
    {
        /// <summary>The default relative step (see the class remarks for how it is scaled).</summary>
        public const double DefaultStep = 1e-6;

        /// <summary>The default absolute tolerance of <see cref="GradientCheckResult.IsClose"/> and the <c>Assert</c> methods.</summary>
        public const double DefaultAbsoluteTolerance = 1e-6;

        /// <summary>The default relative tolerance of <see cref="GradientCheckResult.IsClose"/> and the <c>Assert</c> methods.</summary>
        public const double DefaultRelativeTolerance = 1e-5;

        /// <summary>Compares the gradient computed by <paramref name="gradient"/> with central differences of <paramref name="f"/>.</summary>
        /// <param name="f">The scalar function.</param>
        /// <param name="gradient">Returns f(x) and writes ∇f(x) (it receives a zeroed buffer).</param>
        /// <param name="point">Where to compare.</param>
        /// <param name="step">The relative finite-difference step (positive, finite).</param>
        /// <returns>The per-component comparison.</returns>
        /// <exception cref="ArgumentNullException">A function is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is not positive and finite.</exception>
        public static GradientCheckResult Compare(ScalarFunction f, GradientFunction gradient, ReadOnlySpan<double> point, double step = DefaultStep)
        {
            ArgumentNullException.ThrowIfNull(f);
            ArgumentNullException.ThrowIfNull(gradient);
            if (!(step > 0) || double.IsInfinity(step))
            {
                throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be positive and finite.");
            }

            double[] x = point.ToArray();
            double[] analytic = new double[x.Length];
            double gradientValue = gradient(x, analytic);
            double value = f(x);
            double[] numeric = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                double xi = x[i];
                double h = step * Math.Max(1.0, Math.Abs(xi));
                double plus = xi + h;
                double minus = xi - h;
                x[i] = plus;
                double fPlus = f(x);
                x[i] = minus;
                double fMinus = f(x);
                x[i] = xi;
                numeric[i] = (fPlus - fMinus) / (plus - minus);
            }

            return new GradientCheckResult(point.ToArray(), analytic, numeric, value, gradientValue, step);
        }

        /// <summary>Compares a Backward-shaped pullback (called with seed 1 on a zeroed adjoint) with central differences of <paramref name="f"/>.</summary>
        /// <param name="f">The scalar function.</param>
        /// <param name="backward">The pullback, e.g. <see cref="DiffMath.LogSumExpBackward"/>.</param>
        /// <param name="point">Where to compare.</param>
        /// <param name="step">The relative finite-difference step (positive, finite).</param>
        /// <returns>The per-component comparison.</returns>
        public static GradientCheckResult Compare(ScalarFunction f, BackwardFunction backward, ReadOnlySpan<double> point, double step = DefaultStep)
        {
            ArgumentNullException.ThrowIfNull(backward);
            return Compare(
                f,
                (x, g) =>
                {
                    g.Clear();
                    return backward(x, 1.0, g);
                },
                point,
                step);
        }

        /// <summary>Compares a derivative of a scalar function of one scalar with a central difference.</summary>
        /// <param name="f">The function.</param>
        /// <param name="derivative">Its claimed derivative.</param>
        /// <param name="x">Where to compare.</param>
        /// <param name="step">The relative finite-difference step (positive, finite).</param>
        /// <returns>The comparison (one component).</returns>
        public static GradientCheckResult Compare(Func<double, double> f, Func<double, double> derivative, double x, double step = DefaultStep)
        {
            ArgumentNullException.ThrowIfNull(f);
            ArgumentNullException.ThrowIfNull(derivative);
            return Compare(
                v => f(v[0]),
                (v, g) =>
                {
                    g[0] = derivative(v[0]);
                    return f(v[0]);
                },
                [x],
                step);
        }

        /// <summary>Compares a Backward-shaped pullback of a function of one scalar (called with seed 1 and a zeroed adjoint) with a central difference.</summary>
        /// <param name="f">The function.</param>
        /// <param name="backward">The pullback, e.g. <see cref="DiffMath.SigmoidBackward"/>.</param>
        /// <param name="x">Where to compare.</param>
        /// <param name="step">The relative finite-difference step (positive, finite).</param>
        /// <returns>The comparison (one component).</returns>
        public static GradientCheckResult Compare(Func<double, double> f, ScalarBackwardFunction backward, double x, double step = DefaultStep)
        {
            ArgumentNullException.ThrowIfNull(f);
            ArgumentNullException.ThrowIfNull(backward);
            return Compare(
                v => f(v[0]),
                (v, g) =>
                {
                    double dX = 0;
                    double value = backward(v[0], 1.0, ref dX);
                    g[0] = dX;
                    return value;
                },
                [x],
                step);
        }

        /// <summary>Compares a Backward-shaped pullback of a function of two scalars (called with seed 1 and zeroed adjoints) with central differences.</summary>
        /// <param name="f">The function.</param>
        /// <param name="backward">The pullback, e.g. <see cref="DiffMath.LeakyReluBackward"/>.</param>
        /// <param name="x">The first argument (component 0 of the result).</param>
        /// <param name="y">The second argument (component 1 of the result).</param>
        /// <param name="step">The relative finite-difference step (positive, finite).</param>
        /// <returns>The comparison (two components).</returns>
        public static GradientCheckResult Compare(Func<double, double, double> f, BinaryBackwardFunction backward, double x, double y, double step = DefaultStep)
        {
            ArgumentNullException.ThrowIfNull(f);
            ArgumentNullException.ThrowIfNull(backward);
            return Compare(
                v => f(v[0], v[1]),
                (v, g) =>
                {
                    double dX = 0;
                    double dY = 0;
                    double value = backward(v[0], v[1], 1.0, ref dX, ref dY);
                    g[0] = dX;
                    g[1] = dY;
                    return value;
                },
                [x, y],
                step);
        }

        /// <summary>Like <see cref="Compare(ScalarFunction, GradientFunction, ReadOnlySpan{double}, double)"/>, but throws when the check fails.</summary>
        /// <param name="f">The scalar function.</param>
        /// <param name="gradient">Returns f(x) and writes ∇f(x).</param>
        /// <param name="point">Where to compare.</param>
        /// <param name="absTol">The absolute tolerance.</param>
        /// <param name="relTol">The relative tolerance.</param>
        /// <param name="step">The relative finite-difference step.</param>
        /// <returns>The comparison, for further assertions.</returns>
        /// <exception cref="GradientCheckException">Some component (or the returned value) is not close; the message holds the table.</exception>
        public static GradientCheckResult Assert(
            ScalarFunction f,
            GradientFunction gradient,
            ReadOnlySpan<double> point,
            double absTol = DefaultAbsoluteTolerance,
            double relTol = DefaultRelativeTolerance,
            double step = DefaultStep)
        {
            return ThrowIfNotClose(Compare(f, gradient, point, step), absTol, relTol);
        }

        /// <summary>Like <see cref="Compare(ScalarFunction, BackwardFunction, ReadOnlySpan{double}, double)"/>, but throws when the check fails.</summary>
        /// <param name="f">The scalar function.</param>
        /// <param name="backward">The pullback.</param>
        /// <param name="point">Where to compare.</param>
        /// <param name="absTol">The absolute tolerance.</param>
        /// <param name="relTol">The relative tolerance.</param>
        /// <param name="step">The relative finite-difference step.</param>
        /// <returns>The comparison, for further assertions.</returns>
        /// <exception cref="GradientCheckException">Some component (or the returned value) is not close; the message holds the table.</exception>
        public static GradientCheckResult Assert(
            ScalarFunction f,
            BackwardFunction backward,
            ReadOnlySpan<double> point,
            double absTol = DefaultAbsoluteTolerance,
            double relTol = DefaultRelativeTolerance,
            double step = DefaultStep)
        {
            return ThrowIfNotClose(Compare(f, backward, point, step), absTol, relTol);
        }

        /// <summary>Like <see cref="Compare(Func{double, double}, Func{double, double}, double, double)"/>, but throws when the check fails.</summary>
        /// <param name="f">The function.</param>
        /// <param name="derivative">Its claimed derivative.</param>
        /// <param name="x">Where to compare.</param>
        /// <param name="absTol">The absolute tolerance.</param>
        /// <param name="relTol">The relative tolerance.</param>
        /// <param name="step">The relative finite-difference step.</param>
        /// <returns>The comparison, for further assertions.</returns>
        /// <exception cref="GradientCheckException">The derivative is not close; the message holds the table.</exception>
        public static GradientCheckResult Assert(
            Func<double, double> f,
            Func<double, double> derivative,
            double x,
            double absTol = DefaultAbsoluteTolerance,
            double relTol = DefaultRelativeTolerance,
            double step = DefaultStep)
        {
            return ThrowIfNotClose(Compare(f, derivative, x, step), absTol, relTol);
        }

        /// <summary>Like <see cref="Compare(Func{double, double}, ScalarBackwardFunction, double, double)"/>, but throws when the check fails.</summary>
        /// <param name="f">The function.</param>
        /// <param name="backward">The pullback.</param>
        /// <param name="x">Where to compare.</param>
        /// <param name="absTol">The absolute tolerance.</param>
        /// <param name="relTol">The relative tolerance.</param>
        /// <param name="step">The relative finite-difference step.</param>
        /// <returns>The comparison, for further assertions.</returns>
        /// <exception cref="GradientCheckException">The derivative (or the returned value) is not close; the message holds the table.</exception>
        public static GradientCheckResult Assert(
            Func<double, double> f,
            ScalarBackwardFunction backward,
            double x,
            double absTol = DefaultAbsoluteTolerance,
            double relTol = DefaultRelativeTolerance,
            double step = DefaultStep)
        {
            return ThrowIfNotClose(Compare(f, backward, x, step), absTol, relTol);
        }

        /// <summary>Like <see cref="Compare(Func{double, double, double}, BinaryBackwardFunction, double, double, double)"/>, but throws when the check fails.</summary>
        /// <param name="f">The function.</param>
        /// <param name="backward">The pullback.</param>
        /// <param name="x">The first argument.</param>
        /// <param name="y">The second argument.</param>
        /// <param name="absTol">The absolute tolerance.</param>
        /// <param name="relTol">The relative tolerance.</param>
        /// <param name="step">The relative finite-difference step.</param>
        /// <returns>The comparison, for further assertions.</returns>
        /// <exception cref="GradientCheckException">A derivative (or the returned value) is not close; the message holds the table.</exception>
        public static GradientCheckResult Assert(
            Func<double, double, double> f,
            BinaryBackwardFunction backward,
            double x,
            double y,
            double absTol = DefaultAbsoluteTolerance,
            double relTol = DefaultRelativeTolerance,
            double step = DefaultStep)
        {
            return ThrowIfNotClose(Compare(f, backward, x, y, step), absTol, relTol);
        }

        private static GradientCheckResult ThrowIfNotClose(GradientCheckResult result, double absTol, double relTol)
        {
            if (result.IsClose(absTol, relTol))
            {
                return result;
            }

            int failing = result.FailingIndices(absTol, relTol).Count;
            string valueNote = result.IsValueClose(absTol, relTol) ? string.Empty : " The value returned by the gradient function differs from f(x).";
            string message = FormattableString.Invariant(
                $"Gradient check failed: {failing} of {result.Count} component(s) outside tolerance.{valueNote}{Environment.NewLine}{result.ToString(absTol, relTol)}");
            throw new GradientCheckException(message, result);
        }
    }
}
