using System;
using System.IO;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>The snapshot helper's own behaviour (in a temporary directory, never in Snapshots/).</summary>
    public sealed class SnapshotHelperTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "diffgen-snapshot-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, recursive: true);
            }
        }

        private string Verified => Path.Combine(_dir, "T.M.verified.cs");

        private string Received => Path.Combine(_dir, "T.M.received.cs");

        [Fact]
        public void Missing_verified_file_fails_and_writes_received()
        {
            var r = Snapshot.Compare("a\nb\n", _dir, "T.M", accept: false);
            Assert.False(r.Passed);
            Assert.Contains("No verified snapshot", r.Message);
            Assert.Equal("a\nb\n", File.ReadAllText(Received));
            Assert.False(File.Exists(Verified));
        }

        [Fact]
        public void Accepting_writes_the_verified_file_and_removes_received()
        {
            Directory.CreateDirectory(_dir);
            File.WriteAllText(Received, "old");
            var r = Snapshot.Compare("x\r\ny\r\n", _dir, "T.M", accept: true);
            Assert.True(r.Passed);
            Assert.Equal("x\ny\n", File.ReadAllText(Verified));
            Assert.False(File.Exists(Received));
        }

        [Fact]
        public void Match_passes_ignoring_line_endings_and_deletes_a_stale_received_file()
        {
            Directory.CreateDirectory(_dir);
            File.WriteAllText(Verified, "one\r\ntwo\r\n");
            File.WriteAllText(Received, "stale");
            Assert.True(Snapshot.Compare("one\ntwo\n", _dir, "T.M", accept: false).Passed);
            Assert.False(File.Exists(Received));
        }

        [Fact]
        public void Mismatch_fails_with_line_numbers_and_writes_received()
        {
            Directory.CreateDirectory(_dir);
            File.WriteAllText(Verified, "l1\nl2\nl3\nl4\nl5\n");
            var r = Snapshot.Compare("l1\nl2\nL3 changed\nl4\nl5\n", _dir, "T.M", accept: false);
            Assert.False(r.Passed);
            Assert.Contains("@@ verified line 3, received line 3 @@", r.Message);
            Assert.Contains("- l3", r.Message);
            Assert.Contains("+ L3 changed", r.Message);
            Assert.Contains("  l2", r.Message); // context
            Assert.Equal("l1\nl2\nL3 changed\nl4\nl5\n", File.ReadAllText(Received));
            Assert.Equal("l1\nl2\nl3\nl4\nl5\n", File.ReadAllText(Verified)); // untouched
        }

        [Fact]
        public void An_inserted_line_shows_as_one_added_line()
        {
            string diff = Snapshot.Diff("a\nb\nc\nd", "a\nb\nNEW\nc\nd");
            Assert.Contains("+ NEW", diff);
            Assert.DoesNotContain("- c", diff);
            Assert.DoesNotContain("- d", diff);
        }

        [Fact]
        public void Long_diffs_are_truncated()
        {
            string a = string.Join("\n", System.Linq.Enumerable.Range(0, 100));
            string b = string.Join("\n", System.Linq.Enumerable.Range(1000, 100));
            Assert.Contains("more differences not shown", Snapshot.Diff(a, b));
        }

        [Fact]
        public void Verify_names_the_file_after_the_calling_class_and_method()
        {
            // The real entry point, on a snapshot that does exist: this test's own.
            Snapshot.Match("snapshot helper self-test\n");
        }
    }
}
