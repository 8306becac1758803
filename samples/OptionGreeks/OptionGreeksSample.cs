using System;
using System.Collections.Generic;
using System.Globalization;
using Spectre.Console;

namespace DiffGen.Samples.OptionGreeks
{
    /// <summary>One market scenario: the inputs of <see cref="BlackScholes.CallPrice"/>.</summary>
    /// <param name="Name">A short description.</param>
    /// <param name="Spot">The stock price.</param>
    /// <param name="Strike">The strike.</param>
    /// <param name="Rate">The risk-free rate.</param>
    /// <param name="Volatility">The volatility.</param>
    /// <param name="Time">The time to expiry in years.</param>
    public sealed record OptionScenario(string Name, double Spot, double Strike, double Rate, double Volatility, double Time);

    /// <summary>The generated and the closed-form Greeks of one scenario, and how far apart they are.</summary>
    /// <param name="Scenario">The inputs.</param>
    /// <param name="Generated">From one call of the generated <c>CallPriceGradient</c>.</param>
    /// <param name="ClosedForm">From the textbook formulas.</param>
    public sealed record GreeksComparison(OptionScenario Scenario, Greeks Generated, Greeks ClosedForm)
    {
        /// <summary>The largest relative difference over price, delta, vega, rho, theta and gamma.</summary>
        public double WorstRelativeDifference => Math.Max(
            Math.Max(OptionGreeksSample.RelativeDifference(Generated.Price, ClosedForm.Price), OptionGreeksSample.RelativeDifference(Generated.Gamma, ClosedForm.Gamma)),
            Math.Max(
                Math.Max(OptionGreeksSample.RelativeDifference(Generated.Delta, ClosedForm.Delta), OptionGreeksSample.RelativeDifference(Generated.Vega, ClosedForm.Vega)),
                Math.Max(OptionGreeksSample.RelativeDifference(Generated.Rho, ClosedForm.Rho), OptionGreeksSample.RelativeDifference(Generated.Theta, ClosedForm.Theta))));
    }

    /// <summary>What a run of the Greeks sample produced.</summary>
    /// <param name="Comparisons">One comparison per scenario.</param>
    /// <param name="Tolerance">The relative tolerance the run checked.</param>
    public sealed record OptionGreeksResult(IReadOnlyList<GreeksComparison> Comparisons, double Tolerance)
    {
        /// <summary>Whether every Greek of every scenario agreed within <see cref="Tolerance"/>.</summary>
        public bool AllAgree
        {
            get
            {
                foreach (GreeksComparison comparison in Comparisons)
                {
                    if (!(comparison.WorstRelativeDifference <= Tolerance))
                    {
                        return false;
                    }
                }

                return true;
            }
        }
    }

    /// <summary>Prices calls in a few scenarios and prints the generated Greeks next to the closed-form ones.</summary>
    public static class OptionGreeksSample
    {
        /// <summary>The agreement the sample promises: 1e-12 relative.</summary>
        public const double Tolerance = 1e-12;

        /// <summary>At the money, in the money, out of the money, and close to expiry.</summary>
        public static readonly IReadOnlyList<OptionScenario> DefaultScenarios = new[]
        {
            new OptionScenario("at the money, 1 year", 100, 100, 0.05, 0.20, 1.0),
            new OptionScenario("in the money, 6 months", 120, 100, 0.03, 0.25, 0.5),
            new OptionScenario("out of the money, 2 years", 80, 100, 0.01, 0.30, 2.0),
            new OptionScenario("near expiry, 1 month", 100, 95, 0.02, 0.15, 1.0 / 12),
        };

        /// <summary>|a − b| / |b| (or |a − b| when b is 0).</summary>
        /// <param name="actual">The value being checked.</param>
        /// <param name="expected">The reference value.</param>
        /// <returns>The relative difference.</returns>
        public static double RelativeDifference(double actual, double expected)
        {
            double difference = Math.Abs(actual - expected);
            return expected == 0 ? difference : difference / Math.Abs(expected);
        }

        /// <summary>Computes and prints the comparison for each scenario.</summary>
        /// <param name="scenarios">The scenarios to price.</param>
        /// <param name="console">Where the tables go.</param>
        /// <returns>The comparisons.</returns>
        public static OptionGreeksResult Run(IReadOnlyList<OptionScenario> scenarios, IAnsiConsole console)
        {
            ArgumentNullException.ThrowIfNull(scenarios);
            ArgumentNullException.ThrowIfNull(console);
            console.MarkupLine("[bold]DiffGen option Greeks[/]: the Black–Scholes call price and its Greeks from [bold]one[/] generated CallPriceGradient call");
            console.MarkupLine("(gamma from the generated CallPriceHessian), next to the closed-form Greeks (theta = −∂C/∂T, per year).");

            var comparisons = new List<GreeksComparison>();
            foreach (OptionScenario s in scenarios)
            {
                Greeks generated = BlackScholes.FromGeneratedGradient(s.Spot, s.Strike, s.Rate, s.Volatility, s.Time);
                Greeks closedForm = BlackScholes.ClosedForm(s.Spot, s.Strike, s.Rate, s.Volatility, s.Time);
                var comparison = new GreeksComparison(s, generated, closedForm);
                comparisons.Add(comparison);

                var table = new Table()
                    .Border(TableBorder.Rounded)
                    .Title(Invariant($"{s.Name}: S = {s.Spot}, K = {s.Strike}, r = {s.Rate}, σ = {s.Volatility}, T = {s.Time:0.####}"));
                table.AddColumn("");
                table.AddColumn(new TableColumn("DiffGen").RightAligned());
                table.AddColumn(new TableColumn("closed form").RightAligned());
                table.AddColumn(new TableColumn("relative difference").RightAligned());
                AddRow(table, "price", generated.Price, closedForm.Price);
                AddRow(table, "delta  ∂C/∂S", generated.Delta, closedForm.Delta);
                AddRow(table, "vega   ∂C/∂σ", generated.Vega, closedForm.Vega);
                AddRow(table, "rho    ∂C/∂r", generated.Rho, closedForm.Rho);
                AddRow(table, "theta −∂C/∂T", generated.Theta, closedForm.Theta);
                AddRow(table, "gamma ∂²C/∂S²", generated.Gamma, closedForm.Gamma);
                console.Write(table);
            }

            var result = new OptionGreeksResult(comparisons, Tolerance);
            if (result.AllAgree)
            {
                console.MarkupLine(Invariant($"[green]All Greeks agree with the closed forms to {Tolerance:0e0} relative.[/]"));
            }
            else
            {
                console.MarkupLine(Invariant($"[red]Some Greeks differ from the closed forms by more than {Tolerance:0e0} relative.[/]"));
            }

            return result;
        }

        private static void AddRow(Table table, string name, double generated, double closedForm)
        {
            table.AddRow(
                name,
                generated.ToString("F12", CultureInfo.InvariantCulture),
                closedForm.ToString("F12", CultureInfo.InvariantCulture),
                RelativeDifference(generated, closedForm).ToString("0.0e+00", CultureInfo.InvariantCulture));
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
