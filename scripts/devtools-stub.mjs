// Stands in for react-devtools-core in the bundle: the published CLI never connects to devtools.
export default {initialize() {}, connectToDevTools() {}};
