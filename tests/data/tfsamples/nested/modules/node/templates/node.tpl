hostname: ${name}
pet: ${pet}
