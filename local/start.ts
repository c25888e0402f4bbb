// `npm start`: the whole of Payrail on this machine. Until the local cloud exists this
// says what is missing and exits cleanly.
console.log("Payrail local stack: not assembled yet (see README: Status).");
