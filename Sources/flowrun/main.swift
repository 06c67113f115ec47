import FlowrunCore
print(FlowrunVersion.string)
