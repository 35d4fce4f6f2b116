from benchmarks.replies.bench import main

main()
